import { listConnections } from '@crm-sync/connections';
import { CONNECTION_STATUSES } from '@crm-sync/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { connectionView, crmUserId, provider, serviceErrors, tenantId } from '../schemas';

const schema = {
  summary: "List a tenant's connections",
  tags: ['connections'],
  security: [{ service: [] }],
  querystring: z.strictObject({
    tenantId,
    crmUserId: crmUserId.optional(),
    provider: provider.optional(),
    status: z.enum(CONNECTION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  response: {
    200: z.object({ connections: z.array(connectionView) }),
    ...serviceErrors,
  },
};

export function registerListConnections(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/connections', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      requireTenant(request, request.query.tenantId);
      return { connections: await listConnections(ctx.deps.db, request.query) };
    },
  });
}
