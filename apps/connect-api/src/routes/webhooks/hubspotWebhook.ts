import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { refusalProblem, webhookScope } from './problems';
import { NoticeRefusedError, receive } from './receive';

const header = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * POST /v1/webhooks/hubspot: HubSpot webhook events, accepted only with a valid v3 signature inside the 5-minute
 * window and never twice (docs/providers/notices.md). HubSpot signs the full URL it called, which is this
 * deployment's PUBLIC_BASE_URL and the path as received.
 */
export async function registerHubSpotWebhook(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const verify = ctx.notices.verifiers.hubspot;
  if (!verify) return;
  await webhookScope(app, 'application/json', (scope) => {
    scope.post('/v1/webhooks/hubspot', { schema: { hide: true } }, async (request, reply) => {
      try {
        const delivery = verify(
          {
            method: request.method,
            uri: `${ctx.settings.publicBaseUrl}${request.raw.url ?? ''}`,
            body: typeof request.body === 'string' ? request.body : '',
            signature: header(request.headers['x-hubspot-signature-v3']),
            timestamp: header(request.headers['x-hubspot-request-timestamp']),
          },
          ctx.deps.now?.() ?? new Date(),
        );
        const outcome = await receive(ctx, request, delivery);
        if (outcome.kind === 'replayed') {
          throw new NoticeRefusedError('replayed', 'this request was already received');
        }
        return reply.code(204).send();
      } catch (error) {
        refusalProblem(request, 'hubspot', error);
      }
    });
  });
}
