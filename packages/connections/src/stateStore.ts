import { PROVIDERS, RESOURCES } from '@crm-sync/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { createPkcePair, createState } from './pkce';

const pendingSchema = z.strictObject({
  provider: z.enum(PROVIDERS),
  tenantId: z.string(),
  crmUserId: z.string(),
  resources: z.array(z.enum(RESOURCES)),
  scopes: z.array(z.string()),
  redirectUrl: z.url(),
  codeVerifier: z.string(),
  createdAt: z.number(),
});

/** What the connect request bound to its state: who asked, for what, and where to send them afterwards. */
export type PendingConnect = z.infer<typeof pendingSchema>;

export interface StateStoreOptions {
  /** How long a user has to finish consent; the provider's own code lifetime is ~10 minutes. */
  ttlSeconds?: number;
  keyPrefix?: string;
}

export const DEFAULT_STATE_TTL_SECONDS = 600;

/**
 * OAuth `state` values and their PKCE verifiers, held in Redis with a TTL and redeemed exactly once (GETDEL), so a
 * replayed or forged callback finds nothing.
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

  async create(
    request: Omit<PendingConnect, 'codeVerifier' | 'createdAt'>,
  ): Promise<{ state: string; codeChallenge: string }> {
    const state = createState();
    const pkce = createPkcePair();
    const pending: PendingConnect = { ...request, codeVerifier: pkce.verifier, createdAt: Date.now() };
    await this.redis.set(this.key(state), JSON.stringify(pending), 'EX', this.ttlSeconds);
    return { state, codeChallenge: pkce.challenge };
  }

  /** Returns the pending connect once; every later call (or one after the TTL) returns null. */
  async consume(state: string): Promise<PendingConnect | null> {
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(state)) return null;
    const raw = await this.redis.getdel(this.key(state));
    if (raw === null) return null;
    const parsed = pendingSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  private key(state: string): string {
    return `${this.keyPrefix}${state}`;
  }
}
