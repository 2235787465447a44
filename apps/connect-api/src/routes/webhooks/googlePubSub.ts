import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { refusalProblem, webhookScope } from './problems';
import { receive } from './receive';

/**
 * POST /v1/webhooks/google/pubsub: Gmail's mailbox changes as Pub/Sub push requests (issue 25, docs/push.md), each
 * authenticated by the OIDC token Pub/Sub puts in `Authorization`. Accepted, or the same message again: 204 (Pub/Sub
 * takes 102, 200, 201, 202 and 204 as acknowledged and redelivers on anything else,
 * docs/providers/google.md#gmail-push).
 */
export async function registerGooglePubSub(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const verify = ctx.notices.verifiers.googlePubSub;
  if (!verify) return;
  await webhookScope(app, 'application/json', (scope) => {
    scope.post('/v1/webhooks/google/pubsub', { schema: { hide: true } }, async (request, reply) => {
      try {
        const authorization = request.headers.authorization;
        const body = typeof request.body === 'string' ? request.body : '';
        await receive(ctx, request, await verify(authorization, body));
        return reply.code(204).send();
      } catch (error) {
        refusalProblem(request, 'google', error);
      }
    });
  });
}
