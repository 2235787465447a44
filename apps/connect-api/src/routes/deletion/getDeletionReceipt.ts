import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse } from '../schemas';
import { RECEIPT_KEYS_PATH } from './schemas';
import { tenantDeletionRequest, tenantRequestErrors, tenantRequestSchema } from './tenantRequest';

const schema = {
  ...tenantRequestSchema,
  summary:
    'The signed receipt of a completed deletion: a JWT (EdDSA) verifiable offline with the keys published at ' +
    RECEIPT_KEYS_PATH,
  response: {
    200: z.object({ id: z.uuid(), receipt: z.string(), keysUrl: z.string() }),
    ...tenantRequestErrors,
    409: problemResponse('The deletion has not completed yet (code `not_completed`)'),
  },
};

export function registerGetDeletionReceipt(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/deletion-receipts/:id', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      const found = await tenantDeletionRequest(ctx, request);
      if (!found.receipt) throw new HttpError(409, 'not_completed', 'the deletion has not completed yet');
      return {
        id: found.id,
        receipt: found.receipt,
        keysUrl: `${ctx.settings.publicBaseUrl}${RECEIPT_KEYS_PATH}`,
      };
    },
  });
}
