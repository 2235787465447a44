import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QueueUnavailableError } from '@crm-sync/queue';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpError, problem, PROBLEM_CONTENT_TYPE } from './httpErrors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route is a browser page (OAuth start and callback): its errors are an HTML page, not JSON. */
    browserErrorPage?: (status: number) => string;
  }
}

/** Fastify's own client errors we name; any other 4xx from Fastify is `bad_request`. */
const FASTIFY_CODES: Record<number, [string, string]> = {
  413: ['payload_too_large', 'request body is too large'],
  415: ['unsupported_media_type', 'send the body as application/json'],
  429: ['rate_limited', 'too many requests, retry later'],
};

/**
 * One shape for every failure: a problem document (RFC 9457) with a stable `code`, or, on the browser routes, their
 * HTML page with the same status. Validation messages list field paths and rules, never the submitted values
 * (which may be secrets pasted into the wrong field). Unexpected errors are logged and answered with a generic 500
 * so internals do not leak.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return send(request, reply, error.statusCode, error.code, error.message);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => `${v.instancePath || '/'} ${v.message ?? 'is invalid'}`);
      return send(request, reply, 400, 'invalid_request', issues.join('; '));
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const [code, detail] = FASTIFY_CODES[status] ?? ['bad_request', 'the request could not be read'];
      return send(request, reply, status, code, detail);
    }
    if (error instanceof QueueUnavailableError) {
      // The request was not handed on (no worker will see it): the caller must know and may retry.
      request.log.warn({ err: error }, 'queue unavailable');
      reply.header('retry-after', '5');
      return send(request, reply, 503, 'queue_unavailable', 'the request could not be queued, retry later');
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, 500, 'internal', 'internal error');
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, 404, 'not_found', 'no such route'));
}

/**
 * Fastify's router refuses some URLs before any route is chosen (malformed percent-encoding, a path parameter over
 * `maxParamLength`) and would answer in its own shape, echoing the path. Both are a bad request here, answered as a
 * problem document (no route, so no browser page either).
 */
export function answerFrameworkError(_error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return send(request, reply, 400, 'invalid_request', 'the URL could not be read');
}

function send(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string) {
  const page = request.routeOptions.config?.browserErrorPage;
  if (page) return reply.status(status).type('text/html; charset=utf-8').send(page(status));
  return reply
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem(status, code, detail));
}
