import { Readable } from 'node:stream';
import type { AuditEntry } from '../audit';
import { decideBrokerUse, type BrokerConnectionRow, type BrokerGrant } from './authorize';
import { brokerToken, isRefusal } from './brokerToken';
import type { ConnectionCache } from './connectionCache';
import { forwardedRequestHeaders, returnedResponseHeaders } from './proxyHeaders';
import { proxyTarget } from './proxyTarget';
import { throttlingAnswer, type ProxiedBody } from './proxyThrottle';
import type { TokenCache } from './tokenCache';
import {
  refusal,
  type BrokerCaller,
  type BrokerDeps,
  type BrokerRefusal,
  type BrokerThrottle,
  type BrokeredToken,
  type BrokerUse,
} from './types';

/**
 * Request bodies up to this size (declared by Content-Length) are read before sending so a 401 can be retried with
 * the same body; larger or chunked ones stream straight through and a 401 is answered as it came.
 */
export const PROXY_REPLAY_LIMIT_BYTES = 64 * 1024;

/** What the proxy needs beyond the broker: its caches, its audit buffer and the throttle it shares. */
export interface ProxyDeps extends BrokerDeps {
  /** Connection rows, valid while their generation is (connectionCache.ts). */
  connections: ConnectionCache;
  cache: TokenCache;
  /** `proxy_call` lines, written off the request path (auditBuffer.ts). */
  audit: { record(entry: AuditEntry): Promise<void> };
  throttle: BrokerThrottle;
}

export interface ProxyRequest {
  connectionId: string;
  /**
   * Counts the call against the caller's own rate limit and rejects when it is over (connect-api's 429). Run
   * alongside the proxy's own Redis reads so the limit costs no round trip of its own; nothing is audited or sent to
   * the provider before it resolves.
   */
  admit(): Promise<void>;
  purpose: string;
  method: string;
  /** The request target after `/v1/proxy/{id}/`, as sent (not decoded): `{host}/{path}[?query]`. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  /** The request body as it arrives, or null for a method without one. */
  body: Readable | null;
  contentLength: number | undefined;
  /** Aborts the upstream call (the caller went away, or the time is up). */
  signal: AbortSignal;
}

export interface ProxiedResponse {
  kind: 'forwarded';
  status: number;
  headers: Record<string, string>;
  body: ProxiedBody | null;
}

/**
 * Forwards one call of a service to the connection's provider API with the access token injected; the caller
 * never sees the token. Policy, revocation and target are checked on every call (authorize.ts, proxyTarget.ts), on
 * the connection's row as committed now (connectionCache.ts); the token comes from memory while it is fresh
 * (tokenCache.ts). While the provider throttles the connection (a 429, or an answer its adapter names as
 * throttling, seen here or by the sync), or once callouts have spent their share of the connection's request budget,
 * the call is refused with 429 without reaching the provider. Bodies stream both ways; nothing is buffered beyond
 * PROXY_REPLAY_LIMIT_BYTES. On a 401 the token is refreshed (single-flight, with
 * the refused token named so a refresh done meanwhile is reused) and the call retried once.
 */
export async function proxyCall(
  deps: ProxyDeps,
  caller: BrokerCaller,
  request: ProxyRequest,
): Promise<ProxiedResponse | BrokerRefusal> {
  const use = { purpose: request.purpose, use: 'proxy' as const };
  const { connectionId } = request;
  const at = new Date();
  // The caller's rate limit, the connection's generation and, when its row is held already, the provider budget,
  // in one Redis round trip; the budget unit goes back if the call is then refused before reaching the provider.
  const early = earlyAdmission(deps, connectionId, at);
  let row: BrokerConnectionRow | undefined;
  try {
    [, row] = await Promise.all([request.admit(), deps.connections.read(connectionId), early?.admission]);
  } catch (error) {
    await early?.giveBack();
    throw error;
  }
  const granted = await decideBrokerUse(deps, caller, row, use);
  if (granted.kind === 'refused') {
    deps.cache.drop(connectionId);
    await early?.giveBack();
    return granted;
  }
  const paths = caller.policy?.proxyPaths[granted.connection.provider] ?? [];
  const url = proxyTarget(granted.adapter.api, paths, request.target);
  if (!(url instanceof URL)) {
    await early?.giveBack();
    await auditCall(deps, caller, granted, request, url.code, null);
    return url;
  }
  const budget = granted.adapter.api.requestBudget;
  let admission;
  if (early?.budget === budget) admission = await early.admission;
  else {
    await early?.giveBack();
    admission = await deps.throttle.admit(connectionId, 'callout', budget, at);
  }
  if (admission.kind !== 'go') {
    const [code, detail] =
      admission.kind === 'held'
        ? ['provider_throttled', 'the provider is throttling this connection, retry later']
        : [
            'callout_share_spent',
            "callouts have spent their share of this connection's provider requests for now",
          ];
    await auditCall(deps, caller, granted, request, code, null);
    return { ...refusal(429, code, detail), retryAfterSeconds: Math.ceil(admission.waitMs / 1000) };
  }
  const token = await currentToken(deps, caller, granted, use);
  if (isRefusal(token)) return token;

  const replayable = request.body === null || fitsReplay(request.contentLength);
  const body = replayable && request.body ? await readBounded(request.body) : request.body;
  const send = (accessToken: string) =>
    granted.adapter.api.fetch(url, {
      method: request.method,
      headers: { ...forwardedRequestHeaders(request.headers), authorization: `Bearer ${accessToken}` },
      body: body && (Buffer.isBuffer(body) ? body : (Readable.toWeb(body) as ReadableStream<Uint8Array>)),
      // Node's fetch streams a request body only in half-duplex (https://fetch.spec.whatwg.org/#dom-requestinit-duplex).
      ...(body && { duplex: 'half' }),
      redirect: 'manual',
      signal: request.signal,
    } as RequestInit);

  let response = await send(token.accessToken);
  if (response.status === 401) {
    // Refreshed either way, so the next call has a working token; only a body we still hold can be sent again.
    if (replayable) await response.body?.cancel();
    const fresh = await currentToken(deps, caller, granted, use, token.accessToken);
    if (isRefusal(fresh)) {
      if (!replayable) await response.body?.cancel();
      return fresh;
    }
    if (replayable) {
      response = await send(fresh.accessToken);
      // The retry is a request of its own at the provider: counted past the share, since the call was admitted.
      await deps.throttle.spend(connectionId, 'callout', budget, 1, new Date());
    }
  }
  const answer = await throttlingAnswer(granted.adapter.api, response);
  if (answer.throttled) {
    // The user's quota at this provider is spent for now: the sync waits as long (ConnectionThrottle).
    const until = Date.now() + granted.adapter.api.retryAfterMs(response.headers);
    await deps.throttle.hold(granted.connection.id, new Date(until));
  }
  // Buffered before the answer goes back (written within AuditBuffer's flush interval); a full buffer the
  // database cannot take fails the call instead of losing its line.
  try {
    await auditCall(deps, caller, granted, { ...request, target: url.pathname }, null, response.status);
  } catch (error) {
    if (answer.body instanceof Readable) answer.body.destroy();
    else await answer.body?.cancel();
    throw error;
  }
  return {
    kind: 'forwarded',
    status: response.status,
    headers: returnedResponseHeaders(response.headers),
    body: answer.body,
  };
}

/**
 * The token from memory while it is fresh for this grant, else through the one refresh path; `refused` forces a
 * refresh after the provider answered 401 with that token.
 */
async function currentToken(
  deps: ProxyDeps,
  caller: BrokerCaller,
  granted: BrokerGrant,
  use: { purpose: string; use: BrokerUse },
  refused?: string,
): Promise<BrokeredToken | BrokerRefusal> {
  const { id, grant } = granted.connection;
  const cached = refused === undefined ? deps.cache.get(id, grant) : undefined;
  if (cached) return cached;
  deps.cache.drop(id);
  const token = await brokerToken(
    deps,
    caller,
    granted,
    use,
    refused === undefined ? {} : { force: true, refused },
  );
  if (!isRefusal(token)) deps.cache.set(id, grant, token);
  return token;
}

/**
 * The callout budget taken before the connection's row is confirmed, from the row held in memory (its provider, so
 * its budget): undefined when no row is held. `giveBack` returns the unit if it was counted.
 */
function earlyAdmission(deps: ProxyDeps, connectionId: string, at: Date) {
  const held = deps.connections.peek(connectionId);
  const budget = held && deps.adapters.get(held.provider)?.api.requestBudget;
  if (!budget) return undefined;
  const admission = deps.throttle.admit(connectionId, 'callout', budget, at);
  return {
    budget,
    admission,
    giveBack: async () => {
      const taken = await admission.catch(() => undefined);
      if (taken?.kind === 'go') await deps.throttle.refund(connectionId, 'callout', budget, at);
    },
  };
}

const fitsReplay = (length: number | undefined) => length !== undefined && length <= PROXY_REPLAY_LIMIT_BYTES;

/** Reads a body whose declared length fits the replay limit, refusing to hold more than the limit whatever it sends. */
async function readBounded(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > PROXY_REPLAY_LIMIT_BYTES) throw new Error('proxied request body exceeds its declared length');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** One `proxy_call` line: who, why, method and path (never the query, which may carry personal data), outcome. */
async function auditCall(
  deps: ProxyDeps,
  caller: BrokerCaller,
  granted: BrokerGrant,
  request: Pick<ProxyRequest, 'purpose' | 'method' | 'target'>,
  refused: string | null,
  status: number | null,
): Promise<void> {
  const path = refused ? null : request.target;
  await deps.audit.record({
    connectionId: granted.connection.id,
    tenantId: granted.connection.tenantId,
    type: refused ? 'broker_refused' : 'proxy_call',
    actor: `service:${caller.service}`,
    details: refused
      ? { use: 'proxy', purpose: request.purpose, method: request.method, reason: refused }
      : { purpose: request.purpose, method: request.method, path, status },
  });
}
