import { syncStates } from '@crm-sync/sync-states';
import type { SkipReason, SliceOutcome, SliceRequest, SyncEngineDeps } from '../types';
import { SliceRun } from './sliceRun';

const skipped = (reason: SkipReason): SliceOutcome => ({
  kind: 'skipped',
  reason,
  counts: { pages: 0, added: 0, updated: 0, unchanged: 0, deleted: 0 },
});

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
  await syncStates.markRunning(deps.db, connection.id, request.resource);
  return new SliceRun(deps, request, connection, adapter, syncer, state.position).run();
}
