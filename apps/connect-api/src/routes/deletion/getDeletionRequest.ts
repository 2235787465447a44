import { deletionRequestOf } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse, serviceErrors, tenantId } from '../schemas';
import { deletionRequestView, viewOf } from './schemas';

const schema = {
  summary: 'Where a deletion request stands: its step, what it has deleted so far, and its receipt once done',
  tags: ['deletion'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  querystring: z.strictObject({ tenantId }),
  response: {
    200: deletionRequestView,
    ...serviceErrors,
    404: problemResponse('No such deletion request for the tenant (code `not_found`)'),
  },
};

export function registerGetDeletionRequest(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/deletion-requests/:id', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      const { tenantId } = request.query;
      requireTenant(request, tenantId);
      const found = await deletionRequestOf(ctx.deps.db, tenantId, request.params.id);
      if (!found) throw new HttpError(404, 'not_found', 'no such deletion request');
      return viewOf(found);
    },
  });
}
