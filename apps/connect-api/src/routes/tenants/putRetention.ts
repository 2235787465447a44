import { setRetentionDays } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { bodyErrors, serviceErrors, tenantId } from '../schemas';
import { retentionView } from './retentionSchema';

const schema = {
  summary:
    'Set how long the synced data of a disconnected or revoked connection is kept; the scheduler purges it after',
  tags: ['tenants'],
  security: [{ service: [] }],
  params: z.object({ tenantId }),
  body: retentionView.pick({ retentionDays: true }).strict(),
  response: { 200: retentionView, ...serviceErrors, ...bodyErrors },
};

export function registerPutRetention(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().put('/v1/tenants/:tenantId/retention', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      const { tenantId } = request.params;
      requireTenant(request, tenantId);
      await setRetentionDays(ctx.deps.db, tenantId, request.body.retentionDays);
      return { tenantId, retentionDays: request.body.retentionDays };
    },
  });
}
