import { setTimeout as sleep } from 'node:timers/promises';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  type ErrorRenderer,
  type ProviderId,
  type RenderedError,
  type RouteMeta,
  type SandboxContext,
} from './types';

/**
 * The per-request pipeline every provider route goes through, in the order a real provider
 * would apply it: authenticate, then injected faults, then the account's quota; finally count.
 */
export function installHooks(
  app: FastifyInstance,
  ctx: SandboxContext,
  renderers: ReadonlyMap<ProviderId, ErrorRenderer>,
): void {
  const dropped = new WeakSet<FastifyRequest>();
  app.decorateRequest('sandboxAuth', null);
  app.decorateRequest('sandboxTokenState', 'none');
  app.decorateRequest('sandboxAccountId', null);

  app.addHook('preHandler', async (request, reply) => {
    const meta = request.routeOptions.config.sandbox;
    if (!meta) return;
    const renderer = renderers.get(meta.provider);
    if (!renderer) throw new Error(`no error renderer for ${meta.provider}`);
    if (meta.auth && !authenticate(ctx, meta, request)) {
      const reason = request.sandboxTokenState;
      if (reason === 'valid' || reason === 'none') throw new Error('authentication failed without a reason');
      return send(reply, renderer.unauthorized(reason));
    }
    const fault = ctx.faults.match(meta.provider, meta.routeId, request.sandboxAccountId ?? undefined);
    if (fault?.kind === 'latency') await sleep(fault.ms);
    if (fault?.kind === 'drop') {
      dropped.add(request);
      record(ctx, meta, request, 0);
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (fault?.kind === 'status') return send(reply, renderer.fault(fault.status, fault.retryAfterSeconds));
    const auth = request.sandboxAuth;
    if (meta.quotaUnits !== undefined && auth) {
      const exceeded = ctx.faults.chargeQuota(meta.provider, auth.account.id, meta.quotaUnits);
      if (exceeded) return send(reply, renderer.quotaExceeded(exceeded.status));
    }
  });

  // Counted when the answer's status is settled and before its first byte leaves: a client that has read an answer
  // always finds it counted (counting at onResponse, after the socket flushed, let a test read the counters first).
  app.addHook('onSend', async (request, reply, payload) => {
    const meta = request.routeOptions.config.sandbox;
    if (meta && !dropped.has(request)) record(ctx, meta, request, reply.statusCode);
    return payload;
  });
}

function authenticate(ctx: SandboxContext, meta: RouteMeta, request: FastifyRequest): boolean {
  const result = ctx.tokens.authenticate(meta.provider, request.headers.authorization);
  if (!result.ok) {
    request.sandboxTokenState = result.reason;
    request.sandboxAccountId = result.accountId ?? null;
    return false;
  }
  request.sandboxTokenState = 'valid';
  request.sandboxAccountId = result.account.id;
  request.sandboxAuth = { account: result.account, scopes: result.scopes, clientId: result.clientId };
  return true;
}

function record(ctx: SandboxContext, meta: RouteMeta, request: FastifyRequest, status: number): void {
  ctx.counters.record({
    provider: meta.provider,
    route: meta.routeId,
    accountId: request.sandboxAccountId,
    status,
    tokenState: request.sandboxTokenState,
  });
}

export function send(reply: FastifyReply, error: RenderedError): FastifyReply {
  if (error.headers) void reply.headers(error.headers);
  return reply.code(error.status).send(error.body);
}

/** Route-level helper: the account the core authenticated (routes with `auth: true` only). */
export function requireAuth(request: FastifyRequest) {
  if (!request.sandboxAuth) throw new Error(`route ${request.url} used requireAuth without auth: true`);
  return request.sandboxAuth;
}
