import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { RECEIPT_KEYS_PATH } from './schemas';

const schema = {
  summary:
    'The public keys (JWKS, Ed25519) that verify deletion receipts, retired ones included; no authentication',
  tags: ['deletion'],
  response: {
    200: z.object({
      keys: z.array(
        z.object({
          kty: z.literal('OKP'),
          crv: z.literal('Ed25519'),
          x: z.string(),
          kid: z.string(),
          alg: z.literal('EdDSA'),
          use: z.literal('sig'),
        }),
      ),
    }),
  },
};

export function registerReceiptKeys(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(RECEIPT_KEYS_PATH, {
    schema,
    handler: async (_request, reply) => {
      // Public and rarely changed; an hour lets verifiers cache it and still see a newly added key the same day.
      void reply.header('cache-control', 'public, max-age=3600');
      return ctx.receiptKeys;
    },
  });
}
