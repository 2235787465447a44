import type { BrokeredToken } from './types';

export interface TokenCacheOptions {
  /** An entry is used at most this long after it was read from the vault. */
  maxAgeMs: number;
  /** No entry is used once its token expires within this margin (AccessTokens refreshes it then). */
  refreshMarginMs: number;
  /** Connections kept at most; the oldest entry goes first. */
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  grant: string;
  token: BrokeredToken;
  until: number;
}

/**
 * The proxy's access tokens, kept in connect-api's memory between calls so a call does not read and unseal the
 * vault each time. An entry belongs to one grant (`grant`: the connection's authenticated_at, which a reconnect
 * moves), so a new grant never gets the old grant's token; whether the connection may be used at all is still read
 * from Postgres on every call (authorize.ts), so a disconnect or revocation is not delayed by this cache.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get(connectionId: string, grant: string): BrokeredToken | undefined {
    const entry = this.entries.get(connectionId);
    if (!entry) return undefined;
    if (entry.grant === grant && entry.until > this.now()) return entry.token;
    this.entries.delete(connectionId);
    return undefined;
  }

  set(connectionId: string, grant: string, token: BrokeredToken): void {
    const { maxAgeMs, refreshMarginMs, maxEntries } = this.options;
    const now = this.now();
    const expiring = token.expiresAt ? token.expiresAt.getTime() - refreshMarginMs : Infinity;
    const until = Math.min(now + maxAgeMs, expiring);
    this.entries.delete(connectionId);
    if (until <= now) return;
    if (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(connectionId, { grant, token, until });
  }

  /** The provider refused the token, or the connection can no longer be used. */
  drop(connectionId: string): void {
    this.entries.delete(connectionId);
  }
}
