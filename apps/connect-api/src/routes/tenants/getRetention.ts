import { retentionDays } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { serviceErrors, tenantId } from '../schemas';
import { retentionView } from './retentionSchema';

const schema = {
  summary:
    'How long the synced data of a disconnected or revoked connection is kept (days; 0: purged at once)',
  tags: ['tenants'],
  security: [{ service: [] }],
  params: z.object({ tenantId }),
  response: { 200: retentionView, ...serviceErrors },
};

export function registerGetRetention(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/tenants/:tenantId/retention', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      const { tenantId } = request.params;
      requireTenant(request, tenantId);
      return { tenantId, retentionDays: await retentionDays(ctx.deps.db, tenantId) };
    },
  });
}
