import { graphValidationToken } from '@crm-sync/providers';
import type { VerifiedDelivery } from '@crm-sync/core';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { refusalProblem, webhookScope } from './problems';
import { NoticeRefusedError, receive } from './receive';

/**
 * POST /v1/webhooks/microsoft/lifecycle: Graph lifecycle notifications (docs/providers/notices.md), and
 * POST /v1/webhooks/microsoft/notifications: change notifications of our subscriptions (issue 25, docs/push.md).
 * Graph first validates each URL with `?validationToken=…` (text/plain, empty body) and expects the token back as
 * text/plain within 10 s; notifications are JSON and accepted with 202 (processing is queued) within Graph's 3 s.
 * A replayed lifecycle notification is refused (409); a repeated change notification is answered 202 and does
 * nothing, since Graph may deliver one more than once and retries anything not answered 2xx.
 */
export async function registerMicrosoftLifecycle(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { microsoft, microsoftChanges } = ctx.notices.verifiers;
  if (!microsoft || !microsoftChanges) return;
  await webhookScope(app, ['application/json', 'text/plain'], (scope) => {
    const route = (path: string, verify: (rawBody: string) => VerifiedDelivery, replayRefused: boolean) =>
      scope.post(path, { schema: { hide: true } }, async (request, reply) => {
        const validationToken = graphValidationToken(request.query);
        if (validationToken !== null) {
          // Sent back as plain text only (helmet's nosniff is on), so a browser never renders it.
          return reply.code(200).type('text/plain; charset=utf-8').send(validationToken);
        }
        try {
          const body = typeof request.body === 'string' ? request.body : '';
          const outcome = await receive(ctx, request, verify(body));
          if (outcome.kind === 'replayed' && replayRefused) {
            throw new NoticeRefusedError('replayed', 'this notification was already received');
          }
          return reply.code(202).send();
        } catch (error) {
          refusalProblem(request, 'microsoft', error);
        }
      });
    route('/v1/webhooks/microsoft/lifecycle', microsoft, true);
    route('/v1/webhooks/microsoft/notifications', microsoftChanges, false);
  });
}
