import { AUDIT_EVENT_TYPES } from '@crm-sync/core';
import { connectionLog } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse, serviceErrors, tenantId } from '../schemas';

const schema = {
  summary:
    "A connection's audit trail, newest first, paged (pass `nextBefore` as `before`): authorizations with scopes, token refreshes, revocations, disconnects, purges, tokens issued, proxied calls",
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  querystring: z.strictObject({
    tenantId,
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z
      .string()
      .regex(/^[1-9][0-9]{0,18}$/, 'must be an event id')
      .optional(),
  }),
  response: {
    200: z.object({
      events: z.array(
        z.object({
          id: z.string(),
          type: z.enum(AUDIT_EVENT_TYPES),
          actor: z.string(),
          details: z.record(z.string(), z.unknown()),
          at: z.string(),
        }),
      ),
      nextBefore: z.string().nullable(),
    }),
    ...serviceErrors,
    404: problemResponse('No such connection for the tenant (code `not_found`)'),
  },
};

export function registerGetConnectionLog(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/connections/:id/log', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      const { tenantId, limit, before } = request.query;
      requireTenant(request, tenantId);
      const page = await connectionLog(ctx.deps.db, tenantId, request.params.id, { limit, before });
      if (!page) throw new HttpError(404, 'not_found', 'no such connection');
      return page;
    },
  });
}
