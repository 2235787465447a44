import type { CrmTableName, ProviderAdapter, RecordsByTable, Resource } from '@crm-sync/core';
import { syncStates } from '@crm-sync/sync-states';
import { writePage } from '../records/writePage';
import type { SyncEngineDeps } from '../types';

export interface StoreSelectedRequest {
  connectionId: string;
  tenantId: string;
  resource: Resource;
  ids: readonly string[];
  /** The connection's access token, through the caller's refresh path. */
  accessToken(adapter: ProviderAdapter): Promise<string>;
}

export type StoreSelectedOutcome =
  | { kind: 'stored'; records: RecordsByTable[CrmTableName][] }
  /** Some ids the provider does not let the app read: nothing was stored. */
  | { kind: 'not_accessible'; ids: string[] }
  | { kind: 'not_found' }
  | { kind: 'inactive' }
  | { kind: 'unsupported' };

/**
 * Items a user selected at the provider (Drive files picked in the Google Picker, docs/drive.md#selecting-files),
 * fetched by id once and stored through the sync's own write path, so the table keeps one writer. All or nothing: if
 * any id is one the provider does not let the app read, nothing is stored. The rows carry the resource's current
 * round generation, taken under the lock of its sync position, so a full round under way does not sweep them.
 * Provider failures are thrown as `ClassifiedProviderError`.
 */
export async function storeSelected(
  deps: Pick<SyncEngineDeps, 'db' | 'adapters' | 'content'>,
  request: StoreSelectedRequest,
): Promise<StoreSelectedOutcome> {
  const [connection] = (await deps.db.query(
    `SELECT provider, status FROM connections WHERE id = $1 AND tenant_id = $2`,
    [request.connectionId, request.tenantId],
  )) as Array<{ provider: string; status: string }>;
  if (!connection) return { kind: 'not_found' };
  if (connection.status !== 'active') return { kind: 'inactive' };
  const adapter = deps.adapters.get(connection.provider as ProviderAdapter['id']);
  const syncer = adapter?.sync?.[request.resource];
  if (!adapter || !syncer?.fetchByIds) return { kind: 'unsupported' };
  const fetched = await syncer.fetchByIds({
    accessToken: await request.accessToken(adapter),
    ids: request.ids,
  });
  if (fetched.deletes.length > 0) return { kind: 'not_accessible', ids: fetched.deletes };
  const target = {
    table: syncer.table,
    objectType: syncer.objectType,
    connectionId: request.connectionId,
    tenantId: request.tenantId,
    resource: request.resource,
  };
  await deps.db.transaction(async (manager) => {
    const locked = await syncStates.lockPosition(manager, request.connectionId, request.resource);
    const round = { generation: locked?.roundGeneration ?? 0, sweep: null };
    await writePage(manager, deps.content, target, { upserts: fetched.upserts, deletes: [] }, round);
  });
  return { kind: 'stored', records: fetched.upserts };
}
