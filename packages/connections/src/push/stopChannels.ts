import { ClassifiedProviderError, type ProviderAdapter } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import type { TokenSet } from '@crm-sync/vault';
import { channelsOf, heldAtProvider, markStopped } from './channels';

/** How many of a connection's channels were stopped at the provider, and how many could not be. */
export interface StoppedChannels {
  stopped: number;
  failed: number;
}

/**
 * Stops a connection's push channels at the provider before its grant is revoked (a user's disconnect, docs/push.md):
 * with the stored access token while it is fresh, else one refreshed for the purpose; each stopped channel's row is
 * marked `stopped` and goes with the ending.
 * Best effort: a channel the provider fails to stop is left to expire on its own (its notices then name no channel),
 * and the connection's ending records when (endConnection.ts). Never throws a provider failure.
 */
export async function stopChannelsAtProvider(
  db: SqlExecutor,
  adapter: ProviderAdapter,
  connectionId: string,
  stored: { tokens: TokenSet; expiresAt: Date | null },
  now: Date = new Date(),
): Promise<StoppedChannels> {
  // A failing channel may still be live at the provider (its renewal failed, not its opening).
  const channels = (await channelsOf(db, connectionId)).filter(
    (c) => heldAtProvider(c) && c.status !== 'stopped' && adapter.push?.[c.resource],
  );
  const result: StoppedChannels = { stopped: 0, failed: 0 };
  if (channels.length === 0) return result;
  let accessToken: string | undefined;
  try {
    const fresh = stored.expiresAt !== null && stored.expiresAt.getTime() > now.getTime() + 30_000;
    accessToken = fresh
      ? stored.tokens.accessToken
      : stored.tokens.refreshToken
        ? (await adapter.oauth.refresh(stored.tokens.refreshToken)).accessToken
        : undefined;
  } catch (error) {
    if (!(error instanceof ClassifiedProviderError)) throw error;
  }
  for (const channel of channels) {
    try {
      if (!accessToken) throw new ClassifiedProviderError({ kind: 'auth_expired' }, 'no usable access token');
      await adapter.push![channel.resource]!.stop(accessToken, channel);
      // Stopped: nothing is left to lapse (what the connection's ending records of those that are). The row stays
      // until the ending drops it, so the keeper does not open another for the still active connection meanwhile.
      await markStopped(db, channel.id);
      result.stopped += 1;
    } catch (error) {
      if (!(error instanceof ClassifiedProviderError)) throw error;
      result.failed += 1;
    }
  }
  return result;
}
