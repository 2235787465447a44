import { requestSync } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { bodyErrors, accepted, problemResponse, resources, serviceErrors, tenantId } from '../schemas';

const schema = {
  summary: 'Ask for a sync now (full: true drops the cursors and starts over)',
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  body: z.strictObject({
    tenantId,
    full: z.boolean().default(false),
    resources: resources.optional(),
  }),
  response: {
    202: accepted,
    ...serviceErrors,
    404: problemResponse('No such connection for the tenant (code `not_found`)'),
    ...bodyErrors,
  },
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
