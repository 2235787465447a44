import { PushKeeper, type PushKeeperDeps } from '@crm-sync/connections';
import { waitFor } from '@crm-sync/testing';
import type { AppHarness } from './appHarness';

/** The production push keeper over the harness: channels opened at the sandbox, notices sent to this connect-api. */
export const harnessKeeper = (h: AppHarness, overrides: Partial<PushKeeperDeps> = {}) =>
  new PushKeeper({
    db: h.db.dataSource,
    adapters: h.deps.adapters,
    accessToken: async (connectionId) => (await h.deps.credentials.load(connectionId))!.tokens.accessToken,
    receivers: (provider) => ({
      notificationUrl: `${h.baseUrl}/v1/webhooks/${provider}/notifications`,
      lifecycleUrl: `${h.baseUrl}/v1/webhooks/${provider}/lifecycle`,
    }),
    options: {
      lifetimeMs: 86_400_000,
      renewBeforeMs: 3_600_000,
      leaseMs: 30_000,
      batchSize: 10,
      retryBaseMs: 60_000,
      maxRetryMs: 3_600_000,
    },
    ...overrides,
  });

/** The sync.requested events recorded in the outbox for a connection, as the resources each asks for. */
export const requestedRounds = async (h: AppHarness, connectionId: string) =>
  (
    (await h.db.dataSource.query(
      `SELECT payload->'resources' AS resources FROM outbox
        WHERE queue = 'connection-events' AND payload->>'connectionId' = $1 AND payload->>'type' = 'sync.requested'
        ORDER BY id`,
      [connectionId],
    )) as Array<{ resources: string[] | null }>
  ).map((r) => r.resources);

/** Marks a connection's resources as past their first round, so the keeper may open their channels. */
export const firstRoundsDone = (h: AppHarness, connectionId: string) =>
  h.db.dataSource.query(
    `UPDATE sync_states SET mode = 'incremental', cursor = 'first-round-cursor' WHERE connection_id = $1`,
    [connectionId],
  );

/**
 * Waits until the sandbox's `sync` message of a new Calendar channel has been answered by connect-api: Google sends
 * it as the channel opens, and a test that ended while it was in flight would hold connect-api's close open.
 */
export const syncAnswered = (h: AppHarness, accountId: string, channelId: string) =>
  waitFor(
    async () => {
      const { sent } = (await h.sandbox.control.providerOp('google', accountId, 'pushChannels', {})) as {
        sent: Array<{ id: string; state: string; status: number | null }>;
      };
      return sent.some((s) => s.id === channelId && s.state === 'sync' && s.status !== null);
    },
    { what: `the sync message of channel ${channelId} answered` },
  );
