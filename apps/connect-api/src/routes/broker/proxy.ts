import { AuditBuffer, ConnectionCache, proxyCall, TokenCache } from '@crm-sync/connections';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { brokerCaller, refusalError } from '../../plugins/brokerCaller';
import { limitPerServiceAndConnection } from '../../plugins/brokerRateLimit';
import { HttpError } from '../../plugins/httpErrors';
import { serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse, purpose, serviceErrors } from '../schemas';

/** The header that names the purpose of a proxied call (a request body belongs to the provider). */
export const PURPOSE_HEADER = 'crm-sync-purpose';

const params = z.object({ connectionId: z.uuid(), '*': z.string() });

const schema = {
  summary:
    "Forwards a call to the connection's provider API with its token injected: /v1/proxy/{id}/{api host}/{path}",
  tags: ['broker'],
  security: [{ service: [] }],
  params,
  headers: z.object({ [PURPOSE_HEADER]: purpose }),
  response: {
    ...serviceErrors,
    403: problemResponse(
      'Outside the service policy (code `no_broker_policy`, `forbidden_provider`, `forbidden_purpose`, `forbidden_scopes`, `forbidden_host`, `forbidden_path`)',
    ),
    404: problemResponse('No such connection for the service (code `not_found`)'),
    409: problemResponse(
      'The connection is not active (code `connection_inactive`, `provider_not_configured`)',
    ),
    429: problemResponse(
      "Too many calls for this connection (code `rate_limited`), the provider is throttling it (code `provider_throttled`), or callouts have spent their share of the connection's provider requests for now (code `callout_share_spent`); retry after Retry-After. A 429 of the provider itself is passed through as it came",
    ),
    502: problemResponse(
      'The provider could not be reached or refresh the token (code `provider_unavailable`)',
    ),
  },
};

/** A token is used from memory at most this long. */
const TOKEN_CACHE_MAX_AGE_MS = 60_000;
const TOKEN_CACHE_MAX_ENTRIES = 10_000;
/**
 * A connection's row is used from memory while its generation stands (every change moves it), and at most this
 * long: the bound for a change made outside the code that moves generations (an operator's SQL).
 */
const CONNECTION_CACHE_MAX_AGE_MS = 60_000;
const CONNECTION_CACHE_MAX_ENTRIES = 10_000;
/** proxy_call lines wait at most this long to be written, in INSERTs of up to AUDIT_BATCH lines. */
const AUDIT_FLUSH_MS = 50;
const AUDIT_BATCH = 500;
const AUDIT_MAX_BUFFERED = 20_000;

/**
 * The token broker's proxy. Registered in its own scope whose only body "parser" leaves the body unread, so it
 * streams to the provider as it arrives; the provider's answer streams back the same way.
 */
export async function registerProxy(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const connections = new ConnectionCache({
    db: ctx.deps.db,
    generations: ctx.deps.generations,
    maxAgeMs: CONNECTION_CACHE_MAX_AGE_MS,
    maxEntries: CONNECTION_CACHE_MAX_ENTRIES,
  });
  const cache = new TokenCache({
    maxAgeMs: TOKEN_CACHE_MAX_AGE_MS,
    refreshMarginMs: ctx.settings.tokenRefreshMarginMs,
    maxEntries: TOKEN_CACHE_MAX_ENTRIES,
  });
  const audit = new AuditBuffer({
    db: ctx.deps.db,
    logger: ctx.logger,
    flushMs: AUDIT_FLUSH_MS,
    batchSize: AUDIT_BATCH,
    maxBuffered: AUDIT_MAX_BUFFERED,
  });
  // Closing the server (shutdown) writes the lines still buffered, before main.ts closes the database.
  app.addHook('onClose', () => audit.close());
  const deps = { ...ctx.deps, tokens: ctx.tokens, throttle: ctx.throttle, connections, cache, audit };
  const limit = limitPerServiceAndConnection(app, {
    name: 'proxy',
    max: ctx.settings.proxyRateLimitPerMinute,
    connectionId: (request) => params.parse(request.params).connectionId,
    detail: 'too many proxied calls for this connection, retry later',
  });
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.withTypeProvider<ZodTypeProvider>().route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/v1/proxy/:connectionId/*',
      schema,
      onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
      handler: async (request, reply) => {
        const { connectionId } = request.params;
        const prefix = `/v1/proxy/${connectionId}/`;
        const rawUrl = request.raw.url ?? '';
        // The target is read from the URL as sent: the router's decoded copy could hide an encoded separator.
        if (!rawUrl.startsWith(prefix))
          throw new HttpError(400, 'invalid_path', 'the proxied URL could not be read');
        // One controller for both ends of the upstream call: the time is up, or the caller went away before its
        // answer was sent (aborting after a complete answer would only cost an exception per call).
        const upstream = new AbortController();
        const timer = setTimeout(
          () => upstream.abort(new DOMException('the provider did not answer in time', 'TimeoutError')),
          ctx.settings.proxyUpstreamTimeoutMs,
        );
        reply.raw.on('close', () => {
          clearTimeout(timer);
          if (!reply.raw.writableFinished) upstream.abort();
        });
        const length = request.headers['content-length'];
        const outcome = await proxyCall(deps, brokerCaller(request, ctx), {
          connectionId,
          admit: () => limit(request, reply),
          purpose: request.headers[PURPOSE_HEADER],
          method: request.method,
          target: rawUrl.slice(prefix.length),
          headers: request.headers,
          body: hasBody(request.method, request.headers) ? request.raw : null,
          contentLength: length === undefined ? undefined : Number(length),
          signal: upstream.signal,
        }).catch((error: unknown) => {
          // A network failure or timeout towards the provider: said plainly, without the URL or the token.
          if (
            error instanceof TypeError ||
            (error instanceof DOMException && error.name === 'TimeoutError')
          ) {
            request.log.warn({ connectionId, failure: error.name }, 'proxied call failed');
            throw new HttpError(502, 'provider_unavailable', 'the provider could not be reached');
          }
          throw error;
        });
        if (outcome.kind === 'refused') {
          if (outcome.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(outcome.retryAfterSeconds));
          throw refusalError(outcome);
        }
        // The provider's answer, whatever its status and body: outside the JSON response schemas above.
        const passThrough: FastifyReply = reply;
        passThrough.status(outcome.status).headers(outcome.headers);
        return outcome.body === null ? passThrough.send() : passThrough.send(outcome.body);
      },
    });
  });
}

/** RFC 9112 §6.1: a request has a body when it says how long it is or that it is chunked. */
const hasBody = (method: string, headers: Record<string, string | string[] | undefined>) =>
  method !== 'GET' && (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined);
