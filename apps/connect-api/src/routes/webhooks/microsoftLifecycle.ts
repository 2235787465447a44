import { graphValidationToken } from '@crm-sync/providers';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { REFUSAL_STATUS, WEBHOOK_BODY_LIMIT_BYTES } from './problems';
import { logRefusal, NoticeRefusedError, receive } from './receive';

/**
 * POST /v1/webhooks/microsoft/lifecycle: Graph lifecycle notifications (docs/providers/notices.md). Graph first
 * validates the URL with `?validationToken=…` (text/plain, empty body) and expects the token back as text/plain;
 * notifications are JSON and accepted with 202 (processing is queued).
 */
export async function registerMicrosoftLifecycle(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const verify = ctx.notices.verifiers.microsoft;
  if (!verify) return;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.post('/v1/webhooks/microsoft/lifecycle', { schema: { hide: true } }, async (request, reply) => {
      const validationToken = graphValidationToken(request.query);
      if (validationToken !== null) {
        // Sent back as plain text only (helmet's nosniff is on), so a browser never renders it.
        return reply.code(200).type('text/plain; charset=utf-8').send(validationToken);
      }
      try {
        const body = typeof request.body === 'string' ? request.body : '';
        const outcome = await receive(ctx, request, verify(body));
        if (outcome.kind === 'replayed') {
          throw new NoticeRefusedError('replayed', 'this notification was already received');
        }
        return reply.code(202).send();
      } catch (error) {
        if (!(error instanceof NoticeRefusedError)) throw error;
        logRefusal(request, 'microsoft', error);
        const [status, code] = REFUSAL_STATUS[error.refusal];
        throw new HttpError(status, code, error.message);
      }
    });
  });
}
