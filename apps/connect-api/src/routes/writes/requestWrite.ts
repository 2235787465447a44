import {
  WRITE_BODIES,
  WRITE_OBJECT_TYPES,
  type WriteOp,
  type WriteRequest,
  type WriteResource,
} from '@crm-sync/core';
import { acceptWrite } from '@crm-sync/writes';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { bodyErrors, problemResponse, serviceErrors, tenantId } from '../schemas';
import { idempotencyHeader } from './idempotency';

const METHODS = { create: 'POST', update: 'PATCH', delete: 'DELETE' } as const satisfies Record<
  WriteOp,
  string
>;

const writeAccepted = z.object({ writeId: z.uuid() });

const responses = {
  202: writeAccepted,
  ...serviceErrors,
  403: problemResponse(
    'The service may not act for that tenant (code `forbidden_tenant`) or its policy does not grant this write ' +
      '(code `forbidden_write`, docs/token-broker.md)',
  ),
  404: problemResponse('No such connection for the tenant (code `not_found`)'),
  409: problemResponse('The connection is not active (code `connection_inactive`)'),
  422: problemResponse('The Idempotency-Key was used for another request (code `idempotency_key_reused`)'),
  ...bodyErrors,
};

/**
 * Where each resource's writes go and what they write. CRM objects are named by type in the path, as the read API
 * serves them under `objects` (docs/read-api.md): ids are unique only within a type.
 */
const RESOURCES = {
  contacts: { path: 'contacts', noun: 'a contact', params: {} },
  events: { path: 'events', noun: 'a calendar event', params: {} },
  objects: {
    path: 'objects/:objectType',
    noun: 'a CRM object (a HubSpot contact, company or deal)',
    params: { objectType: z.enum(WRITE_OBJECT_TYPES) },
  },
} as const satisfies Record<WriteResource, { path: string; noun: string; params: object }>;

/**
 * `POST /v1/connections/{id}/{contacts|events|objects/{objectType}}`, `PATCH|DELETE …/{externalId}`
 * (docs/write-back.md): the write is
 * recorded (sealed) and announced to the workers in one transaction, and answered 202 with its id; its outcome is
 * at `GET /v1/writes/{id}` and in a `write.completed` notification. The same key with the same request answers
 * the first write's id again.
 */
export function registerRequestWrites(app: FastifyInstance, ctx: AppContext): void {
  for (const resource of Object.keys(RESOURCES) as WriteResource[]) {
    const target = RESOURCES[resource];
    for (const op of ['create', 'update', 'delete'] as const satisfies readonly WriteOp[]) {
      const path = `/v1/connections/:id/${target.path}${op === 'create' ? '' : '/:externalId'}`;
      app.withTypeProvider<ZodTypeProvider>().route({
        method: METHODS[op],
        url: path,
        schema: {
          summary: `${op} ${target.noun} in the connected account`,
          tags: ['writes'],
          security: [{ service: [] }],
          params:
            op === 'create'
              ? z.object({ id: z.uuid(), ...target.params })
              : z.object({ id: z.uuid(), ...target.params, externalId: z.string().min(1).max(1024) }),
          querystring: z.strictObject({ tenantId }),
          headers: idempotencyHeader,
          body: WRITE_BODIES[resource][op],
          response: responses,
        },
        onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
        handler: async (request, reply) => {
          const { tenantId: tenant } = request.query as { tenantId: string };
          requireTenant(request, tenant);
          const service = serviceName(request);
          // Only what the service's policy lists (SERVICE_POLICIES `writes`); checked before anything is recorded.
          if (!ctx.settings.servicePolicies.get(service)?.writes[resource]?.includes(op)) {
            request.log.warn({ service, resource, op }, 'write refused: not in the service policy');
            throw new HttpError(403, 'forbidden_write', `this service may not ${op} ${resource}`);
          }
          const params = request.params as { id: string; objectType?: string; externalId?: string };
          const write = { ...(request.body as object), resource, op, ...pick(params) } as WriteRequest;
          const outcome = await acceptWrite(ctx.deps, {
            tenantId: tenant,
            connectionId: params.id,
            requestedBy: service,
            idempotencyKey: (request.headers as { 'idempotency-key': string })['idempotency-key'],
            write,
            announce: true,
          });
          if (outcome.kind === 'not_found') throw new HttpError(404, 'not_found', 'no such connection');
          if (outcome.kind === 'connection_inactive')
            throw new HttpError(409, 'connection_inactive', 'the connection is not active');
          if (outcome.kind === 'key_reused') {
            throw new HttpError(
              422,
              'idempotency_key_reused',
              'the Idempotency-Key was used for another request',
            );
          }
          request.log.info(
            { writeId: outcome.writeId, resource, op, created: outcome.created },
            'write accepted',
          );
          return reply.status(202).send({ writeId: outcome.writeId });
        },
      });
    }
  }
}

const pick = (params: { objectType?: string; externalId?: string }) => ({
  ...(params.objectType === undefined ? {} : { objectType: params.objectType }),
  ...(params.externalId === undefined ? {} : { externalId: params.externalId }),
});

const serviceName = (request: FastifyRequest): string => request.service?.name ?? 'unknown';
