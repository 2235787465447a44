import { deletionRequestOf } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse, serviceErrors, tenantId } from '../schemas';
import { RECEIPT_KEYS_PATH } from './schemas';

const schema = {
  summary:
    'The signed receipt of a completed deletion: a JWT (EdDSA) verifiable offline with the keys published at ' +
    RECEIPT_KEYS_PATH,
  tags: ['deletion'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  querystring: z.strictObject({ tenantId }),
  response: {
    200: z.object({ id: z.uuid(), receipt: z.string(), keysUrl: z.string() }),
    ...serviceErrors,
    404: problemResponse('No such deletion request for the tenant (code `not_found`)'),
    409: problemResponse('The deletion has not completed yet (code `not_completed`)'),
  },
};

export function registerGetDeletionReceipt(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/deletion-receipts/:id', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      const { tenantId } = request.query;
      requireTenant(request, tenantId);
      const found = await deletionRequestOf(ctx.deps.db, tenantId, request.params.id);
      if (!found) throw new HttpError(404, 'not_found', 'no such deletion request');
      if (!found.receipt) throw new HttpError(409, 'not_completed', 'the deletion has not completed yet');
      return {
        id: found.id,
        receipt: found.receipt,
        keysUrl: `${ctx.settings.publicBaseUrl}${RECEIPT_KEYS_PATH}`,
      };
    },
  });
}
