import { PROVIDERS, RESOURCES } from '@crm-sync/core';
import type { Redis } from 'ioredis';
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { createPkcePair, createSecret } from './pkce';

const pendingSchema = z.strictObject({
  provider: z.enum(PROVIDERS),
  tenantId: z.string(),
  crmUserId: z.string(),
  resources: z.array(z.enum(RESOURCES)),
  scopes: z.array(z.string()),
  redirectUrl: z.url(),
  codeVerifier: z.string(),
  /** Opaque id of the flow, in the start URL and the binding cookie's name; never the state. */
  flowId: z.string(),
  /** SHA-256 of the browser key the start route put in a cookie; null until a browser opened the flow. */
  browserKeyHash: z.string().nullable(),
  createdAt: z.number(),
});

const flowSchema = z.strictObject({ state: z.string(), authorizationUrl: z.url() });

/** What the connect request bound to its state: who asked, for what, and where to send them afterwards. */
export type PendingConnect = z.infer<typeof pendingSchema>;

export interface StateStoreOptions {
  /** How long a user has to finish consent; the provider's own code lifetime is ~10 minutes. */
  ttlSeconds?: number;
  keyPrefix?: string;
}

/** A flow opened by a browser: where to send it, and the key its cookie must carry back. */
export interface OpenedFlow {
  authorizationUrl: string;
  browserKey: string;
  /** Seconds the state has left: the cookie lives no longer. */
  ttlSeconds: number;
}

export const DEFAULT_STATE_TTL_SECONDS = 600;

const ID_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const hash = (value: string) => createHash('sha256').update(value).digest('base64url');

/** True when `browserKey` is the key the flow was opened with (compared as digests, in constant time). */
export function browserKeyMatches(pending: PendingConnect, browserKey: string | undefined): boolean {
  if (pending.browserKeyHash === null || browserKey === undefined) return false;
  return timingSafeEqual(Buffer.from(hash(browserKey)), Buffer.from(pending.browserKeyHash));
}

/**
 * OAuth `state` values and their PKCE verifiers, held in Redis with a TTL and redeemed exactly once (GETDEL), so a
 * replayed or forged callback finds nothing. Each state has a flow: an opaque id the browser opens once, which
 * binds the state to that browser (docs/connect-flow.md).
 */
export class OAuthStateStore {
  readonly ttlSeconds: number;
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: Redis,
    options: StateStoreOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_STATE_TTL_SECONDS;
    this.keyPrefix = options.keyPrefix ?? 'crm-sync:oauth-state:';
  }

  /** Stores a fresh state, PKCE pair and flow; `authorizationUrl` builds the provider URL from them. */
  async create(
    request: Omit<PendingConnect, 'codeVerifier' | 'createdAt' | 'flowId' | 'browserKeyHash'>,
    authorizationUrl: (secrets: { state: string; codeChallenge: string }) => string,
  ): Promise<{ flowId: string }> {
    const state = createSecret();
    const flowId = createSecret();
    const pkce = createPkcePair();
    const pending: PendingConnect = {
      ...request,
      codeVerifier: pkce.verifier,
      flowId,
      browserKeyHash: null,
      createdAt: Date.now(),
    };
    const flow = { state, authorizationUrl: authorizationUrl({ state, codeChallenge: pkce.challenge }) };
    await this.redis
      .multi()
      .set(this.stateKey(state), JSON.stringify(pending), 'EX', this.ttlSeconds)
      .set(this.flowKey(flowId), JSON.stringify(flow), 'EX', this.ttlSeconds)
      .exec();
    return { flowId };
  }

  /**
   * Opens a flow once: binds its state to a fresh browser key (stored as a hash) and returns where to send the
   * browser. A second open, an unknown id or an expired state finds nothing.
   */
  async openFlow(flowId: string): Promise<OpenedFlow | null> {
    if (!ID_PATTERN.test(flowId)) return null;
    const rawFlow = await this.redis.getdel(this.flowKey(flowId));
    const flow = rawFlow === null ? undefined : flowSchema.safeParse(JSON.parse(rawFlow)).data;
    if (!flow) return null;
    const key = this.stateKey(flow.state);
    const [raw, ttlMs] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    const pending = raw === null ? undefined : pendingSchema.safeParse(JSON.parse(raw)).data;
    if (!pending || pending.flowId !== flowId || ttlMs <= 0) return null;
    const browserKey = createSecret();
    const bound: PendingConnect = { ...pending, browserKeyHash: hash(browserKey) };
    // XX: a state consumed meanwhile stays consumed.
    const stored = await this.redis.set(key, JSON.stringify(bound), 'PX', ttlMs, 'XX');
    if (stored !== 'OK') return null;
    return { authorizationUrl: flow.authorizationUrl, browserKey, ttlSeconds: Math.ceil(ttlMs / 1000) };
  }

  /** Returns the pending connect once; every later call (or one after the TTL) returns null. */
  async consume(state: string): Promise<PendingConnect | null> {
    if (!ID_PATTERN.test(state)) return null;
    const raw = await this.redis.getdel(this.stateKey(state));
    if (raw === null) return null;
    const parsed = pendingSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  // State and flow ids are base64url, which has no ':', so the two key spaces cannot meet.
  private stateKey(state: string): string {
    return `${this.keyPrefix}${state}`;
  }

  private flowKey(flowId: string): string {
    return `${this.keyPrefix}flow:${flowId}`;
  }
}
