import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { refusalProblem, webhookScope } from './problems';
import { receive } from './receive';

const header = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * POST /v1/webhooks/google/notifications: Calendar channel notifications (issue 25, docs/push.md). Everything is in
 * the `X-Goog-*` headers (the body is empty); the channel's token is checked against its stored digest in the notice
 * transaction. Accepted, or a redelivery of one already taken: 200 (Google counts 200, 201, 202, 204 and 102 as
 * delivered and retries anything else, docs/providers/google.md#calendar-push).
 */
export async function registerGoogleNotifications(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const verify = ctx.notices.verifiers.googleCalendar;
  if (!verify) return;
  // Google sends no body; whatever comes is read as text and ignored (nothing in it is authenticated).
  await webhookScope(
    app,
    '*',
    (scope) => {
      scope.post('/v1/webhooks/google/notifications', { schema: { hide: true } }, async (request, reply) => {
        try {
          const delivery = verify({
            channelId: header(request.headers['x-goog-channel-id']),
            token: header(request.headers['x-goog-channel-token']),
            resourceState: header(request.headers['x-goog-resource-state']),
            resourceId: header(request.headers['x-goog-resource-id']),
            messageNumber: header(request.headers['x-goog-message-number']),
          });
          await receive(ctx, request, delivery);
          return reply.code(200).send();
        } catch (error) {
          refusalProblem(request, 'google', error);
        }
      });
    },
    { ignoreBody: true },
  );
}
