import type { FastifyInstance } from 'fastify';
import type { NoticeRefusal } from '@crm-sync/core';
import type { AppContext } from '../../context';
import { logRefusal, NoticeRefusedError, receive } from './receive';

/**
 * RFC 8935 (push delivery of SETs, which Google's RISC uses): the token is the body, `application/secevent+jwt`;
 * 202 when accepted, 400 with `{err, description}` when not, `err` from the RFC's list (§2.4).
 */
const RFC8935_ERRORS: Record<NoticeRefusal, string> = {
  malformed: 'invalid_request',
  bad_signature: 'invalid_key',
  wrong_issuer: 'invalid_issuer',
  wrong_audience: 'invalid_audience',
  stale: 'invalid_request',
  replayed: 'invalid_request',
};

/** Bigger than any SET Google sends (a few hundred bytes), small enough that nobody streams megabytes at it. */
const SET_BODY_LIMIT_BYTES = 16 * 1024;

/** POST /v1/webhooks/google/risc: Google Cross-Account Protection security event tokens (docs/providers/notices.md). */
export async function registerGoogleRisc(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const verify = ctx.notices.verifiers.google;
  if (!verify) return;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/secevent+jwt',
      { parseAs: 'string', bodyLimit: SET_BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.post('/v1/webhooks/google/risc', { schema: { hide: true } }, async (request, reply) => {
      const refuse = (error: NoticeRefusedError) => {
        logRefusal(request, 'google', error);
        return reply
          .code(400)
          .type('application/json')
          .send({ err: RFC8935_ERRORS[error.refusal], description: error.message });
      };
      try {
        const token = typeof request.body === 'string' ? request.body.trim() : '';
        const outcome = await receive(ctx, request, await verify(token));
        if (outcome.kind === 'replayed') {
          return refuse(new NoticeRefusedError('replayed', 'this token (jti) was already received'));
        }
        return reply.code(202).send();
      } catch (error) {
        if (error instanceof NoticeRefusedError) return refuse(error);
        throw error;
      }
    });
  });
}
