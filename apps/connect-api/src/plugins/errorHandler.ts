import type { FastifyError, FastifyInstance } from 'fastify';
import { QueueUnavailableError } from '@crm-sync/queue';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorBody, HttpError } from './httpErrors';

/**
 * One shape for every failure: `{error: {code, message}}`. Validation messages list field paths and rules,
 * never the submitted values (which may be secrets pasted into the wrong field). Unexpected errors are logged
 * and answered with a generic 500 so internals do not leak.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send(errorBody(error.code, error.message));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => `${v.instancePath || '/'} ${v.message ?? 'is invalid'}`);
      return reply.status(400).send(errorBody('invalid_request', issues.join('; ')));
    }
    if (error.statusCode === 413) {
      return reply.status(413).send(errorBody('payload_too_large', 'request body is too large'));
    }
    if (error.statusCode === 429) {
      return reply.status(429).send(errorBody('rate_limited', 'too many requests, retry later'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(errorBody('bad_request', error.message));
    }
    if (error instanceof QueueUnavailableError) {
      // The request was not handed on (no worker will see it): the caller must know and may retry.
      request.log.warn({ err: error }, 'queue unavailable');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send(errorBody('queue_unavailable', 'the request could not be queued, retry later'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', 'internal error'));
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send(errorBody('not_found', 'no such route')),
  );
}
