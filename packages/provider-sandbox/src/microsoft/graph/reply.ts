import { randomUUID } from 'node:crypto';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type Clock, type ErrorRenderer, type RenderedError } from '../../core/types';
import { GRAPH_ERRORS, type GraphErrorCode, graphErrorBody } from './errors';

/** Graph answers every request with `request-id` and echoes the caller's `client-request-id`. */
export function requestIds(request: FastifyRequest | undefined, clock: Clock) {
  const header = request?.headers['client-request-id'];
  return {
    requestId: randomUUID(),
    clientRequestId: typeof header === 'string' ? header : undefined,
    date: new Date(clock.now()),
  };
}

export function graphError(
  code: GraphErrorCode,
  ids: ReturnType<typeof requestIds>,
  options: { message?: string; headers?: Record<string, string> } = {},
): RenderedError {
  return {
    status: GRAPH_ERRORS[code].status,
    body: graphErrorBody(code, ids, options.message),
    headers: {
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId ?? ids.requestId,
      ...options.headers,
    },
  };
}

export function sendGraphError(
  reply: FastifyReply,
  clock: Clock,
  code: GraphErrorCode,
  options: { message?: string; headers?: Record<string, string> } = {},
): FastifyReply {
  const error = graphError(code, requestIds(reply.request, clock), options);
  return reply
    .code(error.status)
    .headers(error.headers ?? {})
    .send(error.body);
}

const UNAUTHORIZED_MESSAGES = {
  missing: 'Access token is empty.',
  invalid: 'IDX14100: JWT is not well formed, there are no dots (.).',
  expired: 'Lifetime validation failed, the token is expired.',
  revoked:
    'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp',
} as const;

/**
 * The Retry-After the sandbox sends with a throttled Graph answer when a fault plan names none. Graph's values
 * vary (seconds to minutes); one second keeps tests quick.
 */
const GRAPH_DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * How the core's hooks word auth failures, injected faults and quota for Graph routes. Graph sends Retry-After
 * with every 429 and may with a 503 (docs/providers/microsoft.md#throttling).
 */
export function graphErrorRenderer(clock: Clock): ErrorRenderer {
  const retryAfter = (seconds: number | undefined): Record<string, string> =>
    seconds === undefined ? {} : { 'retry-after': String(seconds) };
  return {
    unauthorized: (reason) =>
      graphError('InvalidAuthenticationToken', requestIds(undefined, clock), {
        message: UNAUTHORIZED_MESSAGES[reason],
        headers: { 'www-authenticate': 'Bearer realm="", error="invalid_token"' },
      }),
    retryAfter: { 429: 'always', 500: 'never', 503: 'sometimes' },
    fault(status, retryAfterSeconds) {
      const ids = requestIds(undefined, clock);
      if (status === 429)
        return graphError('TooManyRequests', ids, {
          headers: retryAfter(retryAfterSeconds ?? GRAPH_DEFAULT_RETRY_AFTER_SECONDS),
        });
      if (status === 503)
        return graphError('serviceNotAvailable', ids, { headers: retryAfter(retryAfterSeconds) });
      return graphError('generalException', ids);
    },
    quotaExceeded: () =>
      graphError('ApplicationThrottled', requestIds(undefined, clock), {
        headers: retryAfter(GRAPH_DEFAULT_RETRY_AFTER_SECONDS),
      }),
  };
}
