import type { ResourceSyncer } from '@crm-sync/core';
import { syncStates, type SliceState } from '@crm-sync/sync-states';
import {
  NO_COUNTS,
  type SkipReason,
  type SliceOutcome,
  type SliceRequest,
  type SyncEngineDeps,
} from '../types';
import { SliceRun } from './sliceRun';

const skipped = (reason: SkipReason): SliceOutcome => ({
  kind: 'skipped',
  reason,
  counts: { ...NO_COUNTS },
});

/**
 * Whether a resource is due a full round between rounds: a completeness audit found items the table lacks (a full
 * round lists them), or it declares periodic full rounds and its last completed one is at least `fullRoundEveryMs`
 * old (or unknown).
 */
function fullRoundDue(syncer: ResourceSyncer, state: SliceState, now: Date): boolean {
  const every = syncer.fullRoundEveryMs;
  const { mode, continuation } = state.position;
  if (mode !== 'incremental' || continuation !== null) return false;
  if (state.fullRoundWanted) return true;
  if (every === undefined) return false;
  return state.fullRoundAt === null || now.getTime() - state.fullRoundAt.getTime() >= every;
}

/**
 * Runs one time-bounded slice of one resource's sync. Expected results, provider failures included, come back
 * as an outcome; only bugs and infrastructure failures (database, Redis, vault) are thrown. Each page commits
 * with its position, so a crash repeats at most the page in flight.
 */
export async function runSlice(deps: SyncEngineDeps, request: SliceRequest): Promise<SliceOutcome> {
  const loaded = await syncStates.loadSlice(deps.db, request.connectionId, request.resource);
  if (!loaded) return skipped('connection_missing');
  const { connection, state } = loaded;
  if (connection.status !== 'active') return skipped('connection_inactive');
  if (!state) return skipped('state_missing');
  if (!state.enabled) return skipped('disabled');
  const adapter = deps.adapters.get(connection.provider);
  const syncer = adapter?.sync?.[request.resource];
  if (!adapter || !syncer) return skipped('no_syncer');
  const now = deps.now?.() ?? new Date();
  // The provider throttled this connection (a proxied callout or another slice was told to wait): no call
  // before then, or the sync would spend what is left of the user's quota and extend the throttling.
  const waitMs = await deps.throttle.waitMs(connection.id, now);
  if (waitMs > 0) {
    await syncStates.deferThrottled(
      deps.db,
      connection.id,
      request.resource,
      new Date(now.getTime() + waitMs),
    );
    return { kind: 'rate_limited', retryAfterMs: waitMs, counts: { ...NO_COUNTS } };
  }
  let position = state.position;
  if (fullRoundDue(syncer, state, now)) {
    if (!(await syncStates.startFullRound(deps.db, connection.id, request.resource, position)))
      return skipped('superseded');
    position = { mode: 'full', cursor: null, continuation: null };
  }
  await syncStates.markRunning(deps.db, connection.id, request.resource, position.continuation === null);
  return new SliceRun(deps, request, connection, adapter, syncer, position, state.roundGeneration).run();
}
