import { requestSync } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { accepted, errorResponse, resource, tenantId } from '../schemas';

const schema = {
  summary: 'Ask for a sync now (full: true drops the cursors and starts over)',
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  body: z.strictObject({
    tenantId,
    full: z.boolean().default(false),
    resources: z.array(resource).min(1).max(5).optional(),
  }),
  response: { 202: accepted, 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse },
};

export function registerRequestSync(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/connections/:id/sync', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      const { tenantId, full, resources } = request.body;
      requireTenant(request, tenantId);
      const outcome = await requestSync(ctx.deps, {
        tenantId,
        connectionId: request.params.id,
        full,
        resources,
      });
      if (outcome.kind === 'not_found') throw new HttpError(404, 'not_found', 'no such connection');
      return reply.status(202).send({ eventId: outcome.eventId });
    },
  });
}
