import { ClassifiedProviderError, type Provider } from '@crm-sync/core';
import { decideFailure } from '../policy/errorPolicy';
import type { SyncEngineDeps } from '../types';

/** What a `token-refresh` job did; expected results are returned, bugs and infrastructure failures thrown. */
export type RefreshOutcome =
  | { kind: 'ok' }
  | { kind: 'skipped'; reason: 'connection_missing' | 'connection_inactive' | 'provider_not_configured' }
  | { kind: 'auth_revoked' }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'transient'; reason: string };

/**
 * Refreshes a connection's access token ahead of expiry (the scheduler enqueues these by `expires_at`). The
 * refresh goes through AccessTokens, so it is single-flight with any sync refreshing the same connection, and a
 * token that is still fresh costs nothing. Failures go through the same policy as a sync's (`decideFailure`), so
 * a refused grant takes the same revocation path.
 */
export async function refreshConnectionToken(
  deps: Pick<SyncEngineDeps, 'db' | 'adapters' | 'tokens' | 'outcomes' | 'now'>,
  connectionId: string,
): Promise<RefreshOutcome> {
  const [connection] = (await deps.db.query(`SELECT provider, status FROM connections WHERE id = $1`, [
    connectionId,
  ])) as Array<{ provider: Provider; status: string }>;
  if (!connection) return { kind: 'skipped', reason: 'connection_missing' };
  if (connection.status !== 'active') return { kind: 'skipped', reason: 'connection_inactive' };
  const adapter = deps.adapters.get(connection.provider);
  if (!adapter) return { kind: 'skipped', reason: 'provider_not_configured' };
  try {
    await deps.tokens.get(connectionId, adapter.oauth);
    return { kind: 'ok' };
  } catch (error) {
    if (!(error instanceof ClassifiedProviderError)) throw error;
    const decision = decideFailure(error.classification, { caller: 'token_refresh' });
    switch (decision.action) {
      case 'revoke':
        await deps.outcomes.revoked({
          connectionId,
          reason: decision.reason,
          now: deps.now?.() ?? new Date(),
        });
        return { kind: 'auth_revoked' };
      case 'wait':
        return { kind: 'rate_limited', retryAfterMs: decision.retryAfterMs };
      case 'back_off':
        return { kind: 'transient', reason: decision.reason };
    }
  }
}
