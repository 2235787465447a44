import { requestDeletion } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { serviceErrors, tenantId } from '../schemas';
import { acceptedBody, deletionAccepted, deletionErrors } from './schemas';

const schema = {
  summary:
    "Delete a tenant's data: every connection of every user, as DELETE /v1/users/{crmUserId} does, and its settings",
  tags: ['deletion'],
  security: [{ service: [] }],
  params: z.object({ tenantId }),
  response: { 202: deletionAccepted, ...serviceErrors, ...deletionErrors },
};

export function registerDeleteTenant(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().delete('/v1/tenants/:tenantId', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      const { tenantId } = request.params;
      requireTenant(request, tenantId);
      const { deletionRequestId } = await requestDeletion(ctx.deps, {
        tenantId,
        crmUserId: null,
        actor: `service:${request.service?.name}`,
      });
      return reply.status(202).send(acceptedBody({ id: deletionRequestId, tenantId }));
    },
  });
}
