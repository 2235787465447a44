import { getConnection } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { connectionView, problemResponse, serviceErrors, syncStateView, tenantId } from '../schemas';

const schema = {
  summary: 'One connection with its per-resource sync state',
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  querystring: z.strictObject({ tenantId }),
  response: {
    200: connectionView.extend({ sync: z.array(syncStateView) }),
    ...serviceErrors,
    404: problemResponse('No such connection for the tenant (code `not_found`)'),
  },
};

export function registerGetConnection(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/connections/:id', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      requireTenant(request, request.query.tenantId);
      const connection = await getConnection(ctx.deps.db, request.query.tenantId, request.params.id);
      if (!connection) throw new HttpError(404, 'not_found', 'no such connection');
      return connection;
    },
  });
}
