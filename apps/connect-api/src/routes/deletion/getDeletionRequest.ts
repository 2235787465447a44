import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context';
import { serviceAuthenticator } from '../../plugins/serviceAuth';
import { deletionRequestView, viewOf } from './schemas';
import { tenantDeletionRequest, tenantRequestErrors, tenantRequestSchema } from './tenantRequest';

const schema = {
  ...tenantRequestSchema,
  summary: 'Where a deletion request stands: its step, what it has deleted so far, and its receipt once done',
  response: { 200: deletionRequestView, ...tenantRequestErrors },
};

export function registerGetDeletionRequest(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/deletion-requests/:id', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => viewOf(await tenantDeletionRequest(ctx, request)),
  });
}
