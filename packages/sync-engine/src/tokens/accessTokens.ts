import { setTimeout as sleep } from 'node:timers/promises';
import { ClassifiedProviderError, type ProviderOAuth } from '@crm-sync/core';
import type { CredentialStore, StoredCredential } from '@crm-sync/vault';
import type { Redis } from 'ioredis';
import { RedisLock } from './redisLock';

export interface AccessTokensOptions {
  credentials: CredentialStore;
  redis: Redis;
  /** Prefix of the per-connection lock keys (tests pass their isolated prefix). */
  keyPrefix: string;
  /** Refresh when the stored token expires within this margin. */
  refreshMarginMs: number;
  /** Lease of the refresh lock; longer than a token endpoint call can take. */
  lockTtlMs: number;
  /** How often a process that lost the race looks for the winner's token. */
  pollMs?: number;
  /**
   * Told of every refresh this process stored, after the write (the worker and connect-api audit it as
   * `token_refreshed`, issue 20). Never given a token.
   */
  onRefreshed?: (refresh: TokenRefreshed) => Promise<void>;
  now?: () => number;
}

/** Defaults of the options that are not settings (the refresh margin is, TOKEN_REFRESH_MARGIN_MS in config). */
export const DEFAULT_ACCESS_TOKEN_OPTIONS = { lockTtlMs: 30_000, pollMs: 50 };

/** A refresh that was stored: which connection, whether the provider rotated the refresh token, the new expiry. */
export interface TokenRefreshed {
  connectionId: string;
  rotated: boolean;
  expiresAt: Date | null;
  scopes: string[];
}

/** An access token and when it stops working (null when the provider did not say). */
export interface CurrentToken {
  accessToken: string;
  expiresAt: Date | null;
}

export interface GetTokenOptions {
  /** Refresh even if the stored token looks valid (the provider answered 401). */
  force?: boolean;
  /**
   * The access token the provider refused. A refresh is skipped when the stored token already differs from it
   * (another caller refreshed meanwhile); without it, the token stored when the call starts counts as refused.
   */
  refused?: string;
}

/**
 * Hands out access tokens, refreshing them through the adapter when they are about to expire or were refused.
 * A refresh is single-flight per connection: within a process concurrent callers share one promise; across
 * processes a Redis lease decides who calls the token endpoint, and the others wait and re-read the store.
 * The write is `replaceIfVersion`, so a rotated refresh token (Microsoft, HubSpot) is never overwritten with
 * the spent one, and a refresh token the provider did not resend (Google) is kept.
 */
export class AccessTokens {
  private readonly inFlight = new Map<string, Promise<CurrentToken>>();
  /** The last refresh this process finished per connection, numbered, so a caller it overtook can take it. */
  private readonly finished = new Map<string, { seq: number; token: CurrentToken }>();
  private seq = 0;
  /** Calls under way per connection; `finished` is dropped when none is left, so no token lingers in memory. */
  private readonly pending = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: AccessTokensOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(connectionId: string, oauth: ProviderOAuth, options: GetTokenOptions = {}): Promise<string> {
    return (await this.current(connectionId, oauth, options)).accessToken;
  }

  /** Like `get`, with the token's expiry (for callers that hand the token on, such as the token broker). */
  async current(
    connectionId: string,
    oauth: ProviderOAuth,
    options: GetTokenOptions = {},
  ): Promise<CurrentToken> {
    const joined = this.inFlight.get(connectionId);
    if (joined) return joined;
    this.pending.set(connectionId, (this.pending.get(connectionId) ?? 0) + 1);
    try {
      return await this.loadOrRefresh(connectionId, oauth, options, this.seq);
    } finally {
      const left = this.pending.get(connectionId)! - 1;
      // Nobody who could have been overtaken is left: the finished token need not be held any longer.
      if (left === 0) {
        this.pending.delete(connectionId);
        this.finished.delete(connectionId);
      } else this.pending.set(connectionId, left);
    }
  }

  private async loadOrRefresh(
    connectionId: string,
    oauth: ProviderOAuth,
    options: GetTokenOptions,
    startedAt: number,
  ): Promise<CurrentToken> {
    const stored = await this.load(connectionId);
    if (!options.force && !this.expiringSoon(stored)) return tokenOf(stored);
    // Checked again after the await: another caller may have started a refresh while this one loaded...
    const again = this.inFlight.get(connectionId);
    if (again) return again;
    // ...or finished one: then the token this caller loaded is already the refreshed one, and counting it as
    // refused would spend the refresh token a second time for nothing.
    const done = this.finished.get(connectionId);
    if (done && done.seq > startedAt && done.token.accessToken !== options.refused) return done.token;
    const refused = options.force ? (options.refused ?? stored.tokens.accessToken) : undefined;
    const flight = this.refreshExclusive(connectionId, oauth, refused)
      .then((token) => {
        this.finished.set(connectionId, { seq: ++this.seq, token });
        return token;
      })
      .finally(() => this.inFlight.delete(connectionId));
    this.inFlight.set(connectionId, flight);
    return flight;
  }

  private async refreshExclusive(
    connectionId: string,
    oauth: ProviderOAuth,
    refused?: string,
  ): Promise<CurrentToken> {
    const lock = new RedisLock(
      this.options.redis,
      `${this.options.keyPrefix}token-refresh:${connectionId}`,
      this.options.lockTtlMs,
    );
    const deadline = this.now() + 2 * this.options.lockTtlMs;
    while (this.now() < deadline) {
      const lease = await lock.tryAcquire();
      if (lease) {
        try {
          return await this.refreshHolding(connectionId, oauth, refused);
        } finally {
          await lease.release();
        }
      }
      // Someone else is refreshing: wait for their result rather than spend the same refresh token twice.
      const winner = await this.awaitOther(connectionId, lock, refused, deadline);
      if (winner) return winner;
    }
    throw new ClassifiedProviderError(
      { kind: 'transient', reason: 'token refresh lock not released in time' },
      'token refresh lock not released in time',
    );
  }

  /** With the lease held: re-read (the previous holder may have done the work), refresh, write. */
  private async refreshHolding(
    connectionId: string,
    oauth: ProviderOAuth,
    refused?: string,
  ): Promise<CurrentToken> {
    const stored = await this.load(connectionId);
    if (this.satisfied(stored, refused)) return tokenOf(stored);
    const refreshToken = stored.tokens.refreshToken;
    if (!refreshToken) {
      throw new ClassifiedProviderError(
        { kind: 'auth_revoked', reason: 'no refresh token stored' },
        'no refresh token stored',
      );
    }
    const grant = await oauth.refresh(refreshToken);
    const tokens = {
      ...stored.tokens,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken ?? refreshToken,
      scope: grant.grantedScopes.length > 0 ? grant.grantedScopes : stored.tokens.scope,
    };
    const rotated = grant.refreshToken !== undefined && grant.refreshToken !== refreshToken;
    const written = await this.options.credentials.replaceIfVersion(
      connectionId,
      stored.version,
      tokens,
      grant.expiresAt,
      rotated,
    );
    if (written) {
      await this.options.onRefreshed?.({
        connectionId,
        rotated: grant.refreshToken !== undefined && grant.refreshToken !== refreshToken,
        expiresAt: grant.expiresAt,
        scopes: tokens.scope ?? [],
      });
      return { accessToken: grant.accessToken, expiresAt: grant.expiresAt };
    }
    // The row moved under us (a reconnect saved a new grant): that grant wins; use whatever is stored now.
    return tokenOf(await this.load(connectionId));
  }

  private async awaitOther(
    connectionId: string,
    lock: RedisLock,
    refused: string | undefined,
    deadline: number,
  ): Promise<CurrentToken | null> {
    while (this.now() < deadline) {
      await sleep(this.options.pollMs ?? DEFAULT_ACCESS_TOKEN_OPTIONS.pollMs);
      if (await lock.isHeld()) continue;
      const stored = await this.load(connectionId);
      if (this.satisfied(stored, refused)) return tokenOf(stored);
      return null; // released without a usable token (their refresh failed): try to take the lock ourselves
    }
    return null;
  }

  /** A token other than the refused one that is not about to expire. */
  private satisfied(stored: StoredCredential, refused: string | undefined): boolean {
    if (refused !== undefined && stored.tokens.accessToken === refused) return false;
    return !this.expiringSoon(stored);
  }

  private expiringSoon(stored: StoredCredential): boolean {
    return (
      stored.expiresAt !== null && stored.expiresAt.getTime() - this.now() <= this.options.refreshMarginMs
    );
  }

  private async load(connectionId: string): Promise<StoredCredential> {
    const stored = await this.options.credentials.load(connectionId);
    // Credentials are deleted on revocation and disconnect; without them nothing can be fetched until reconnect.
    if (!stored) {
      throw new ClassifiedProviderError(
        { kind: 'auth_revoked', reason: 'no stored credentials' },
        'no stored credentials',
      );
    }
    return stored;
  }
}

const tokenOf = (stored: StoredCredential): CurrentToken => ({
  accessToken: stored.tokens.accessToken,
  expiresAt: stored.expiresAt,
});
