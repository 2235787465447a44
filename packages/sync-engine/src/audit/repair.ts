import type {
  CrmTableName,
  FetchedItems,
  ProviderAdapter,
  ResourceSyncer,
  SyncPosition,
} from '@crm-sync/core';
import { markGhostsDeleted } from '@crm-sync/db';
import { syncStates, type SliceConnection } from '@crm-sync/sync-states';
import { writePage } from '../records/writePage';
import { samePosition } from '../slice/position';
import { admitSync, countedCall } from '../throttle/countedCall';
import type { SyncEngineDeps } from '../types';
import type { IdDifference } from './compareIds';
import type { AuditCounts, AuditRequest } from './types';

/** Where the audit stands once the provider's ids are in and compared. */
export interface AuditFindings {
  request: AuditRequest;
  connection: SliceConnection;
  adapter: ProviderAdapter;
  syncer: ResourceSyncer;
  diff: IdDifference;
  /** When the listing began (database clock). */
  since: Date;
  listed: number;
  calls: number;
}

/** The differing items fetched by id, and the sync position they were fetched against. */
interface Fetched {
  items: FetchedItems<CrmTableName>;
  position: SyncPosition;
  roundGeneration: number;
  calls: number;
}

/**
 * Fetches the differing items by id when the syncer can and the run's call budget covers one call per item (Gmail's
 * full round gets every message, so a full round to bring back a few would cost the whole mailbox): the missing ones
 * to store, and the ghosts to confirm, since a listing paged while the mailbox changed could have stepped over a
 * live item. Any failure leaves the missing items to a full round and the ghosts unconfirmed, as for syncers without
 * `fetchByIds`.
 */
export async function fetchDifference(deps: SyncEngineDeps, f: AuditFindings): Promise<Fetched | null> {
  const { syncer, diff, request, connection } = f;
  const ids = [...diff.missing, ...diff.ghosts];
  const fetchByIds = syncer.fetchByIds?.bind(syncer);
  if (!fetchByIds || ids.length === 0) return null;
  if (f.calls + ids.length > request.maxCalls) return null;
  // The position before the fetch: if a sync page commits before the repair does, the fetched versions may be older
  // than the rows it wrote, and the repair does not use them.
  const loaded = await syncStates.loadSlice(deps.db, connection.id, request.resource);
  if (!loaded?.state) return null;
  try {
    for (const _ of ids) await request.throttle?.(connection.provider);
    const accessToken = await deps.tokens.get(connection.id, f.adapter.oauth);
    await admitSync(deps, connection.id, f.adapter);
    const items = await countedCall(deps, connection.id, f.adapter, (tally) =>
      fetchByIds({ accessToken, tally, ids }),
    );
    const { position, roundGeneration } = loaded.state;
    return { items, position, roundGeneration, calls: ids.length };
  } catch {
    return null;
  }
}

/**
 * One transaction: the ghosts marked deleted (only rows unwritten since the listing began; with fetched items, only
 * those the provider confirmed gone), the fetched items stored through the sync's write path while the resource's row
 * is locked and its position unchanged, else a full round requested for the missing ones, and the counts recorded.
 */
export async function repair(
  deps: SyncEngineDeps,
  f: AuditFindings,
  fetched: Fetched | null,
): Promise<AuditCounts> {
  const { connection, request, syncer, diff } = f;
  const { table, objectType } = syncer;
  const target = {
    table,
    objectType,
    connectionId: connection.id,
    tenantId: connection.tenantId,
    resource: request.resource,
  };
  return deps.db.transaction(async (manager) => {
    const locked = await syncStates.lockPosition(manager, connection.id, request.resource);
    const current =
      fetched !== null &&
      locked !== null &&
      samePosition(locked.position, fetched.position) &&
      locked.roundGeneration === fetched.roundGeneration;
    // A ghost the provider returned by id is live after all: the fetched record refreshes its row instead.
    const gone = current ? new Set(fetched.items.deletes) : null;
    const ghosts = gone ? diff.ghosts.filter((id) => gone.has(id)) : diff.ghosts;
    const ghostsRepaired = await markGhostsDeleted(manager, table, {
      connectionId: connection.id,
      ...(objectType !== undefined && { objectType }),
      externalIds: ghosts,
      writtenBefore: f.since,
    });
    let stored = 0;
    if (current) {
      const round = { generation: fetched.roundGeneration, sweep: null };
      const missing = new Set(diff.missing);
      const upserts = fetched.items.upserts;
      const found = upserts.filter((record) => missing.has(record.externalId));
      // Items the syncer could not read are filed in the quarantine, as a round files them.
      const setAside = fetched.items.setAside ?? [];
      const written = await writePage(
        manager,
        deps.content,
        target,
        { upserts: found, deletes: [], setAside },
        round,
      );
      stored = written.added + written.updated;
      const live = upserts.filter((record) => !missing.has(record.externalId));
      await writePage(manager, deps.content, target, { upserts: live, deletes: [] }, round);
    }
    const counts: AuditCounts = {
      calls: f.calls + (fetched?.calls ?? 0),
      listed: f.listed,
      missing: diff.missing.length,
      ghosts: ghosts.length,
      repaired: ghostsRepaired + stored,
    };
    const fullRoundWanted = diff.missing.length > 0 && !current;
    await syncStates.recordAudit(manager, { ...target, at: f.since, ...counts, fullRoundWanted });
    return counts;
  });
}
