import { requestDeletion } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { crmUserId, serviceErrors, tenantId } from '../schemas';
import { acceptedBody, deletionAccepted, deletionErrors } from './schemas';

const schema = {
  summary:
    "Delete a CRM user's data: revoke every grant, delete tokens, synced data, sync states and queued jobs; ends with a signed receipt",
  tags: ['deletion'],
  security: [{ service: [] }],
  params: z.object({ crmUserId }),
  querystring: z.strictObject({ tenantId }),
  response: { 202: deletionAccepted, ...serviceErrors, ...deletionErrors },
};

export function registerDeleteUser(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().delete('/v1/users/:crmUserId', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      const { tenantId } = request.query;
      requireTenant(request, tenantId);
      const { deletionRequestId } = await requestDeletion(ctx.deps, {
        tenantId,
        crmUserId: request.params.crmUserId,
        actor: `service:${request.service?.name}`,
      });
      return reply.status(202).send(acceptedBody({ id: deletionRequestId, tenantId }));
    },
  });
}
