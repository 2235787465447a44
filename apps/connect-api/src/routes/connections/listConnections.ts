import { listConnections } from '@crm-sync/connections';
import { CONNECTION_STATUSES } from '@crm-sync/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { connectionView, errorResponse, provider, tenantId } from '../schemas';

const schema = {
  summary: "List a tenant's connections",
  tags: ['connections'],
  security: [{ service: [] }],
  querystring: z.strictObject({
    tenantId,
    crmUserId: z.string().min(1).max(200).optional(),
    provider: provider.optional(),
    status: z.enum(CONNECTION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  response: {
    200: z.object({ connections: z.array(connectionView) }),
    400: errorResponse,
    401: errorResponse,
    403: errorResponse,
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
