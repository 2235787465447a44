import { requestDisconnect } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { accepted, problemResponse, serviceErrors, tenantId } from '../schemas';

const schema = {
  summary: 'Disconnect: revoke and delete the tokens; with purge=true also delete the synced data',
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  querystring: z.strictObject({ tenantId, purge: z.enum(['true', 'false']).default('false') }),
  response: {
    202: accepted,
    ...serviceErrors,
    404: problemResponse('No such connection for the tenant (code `not_found`)'),
  },
};

export function registerDeleteConnection(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().delete('/v1/connections/:id', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      const { tenantId, purge } = request.query;
      requireTenant(request, tenantId);
      const outcome = await requestDisconnect(ctx.deps, {
        tenantId,
        connectionId: request.params.id,
        purge: purge === 'true',
        actor: `service:${request.service?.name}`,
      });
      if (outcome.kind === 'not_found') throw new HttpError(404, 'not_found', 'no such connection');
      return reply.status(202).send({ eventId: outcome.eventId });
    },
  });
}
