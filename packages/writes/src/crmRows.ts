import type { Resource, WriteRequest } from '@crm-sync/core';
import { writePage } from '@crm-sync/sync-engine';
import { syncStates } from '@crm-sync/sync-states';
import type { ContentKeys } from '@crm-sync/vault';
import type { EntityManager } from 'typeorm';
import type { Finish } from './finish';

interface Target {
  table: 'contacts' | 'calendar_events' | 'crm_objects';
  /** The sync resource that fills the table. */
  resource: Resource;
  /** For crm_objects: the type of the rows (each object type is synced as the resource of its name). */
  objectType?: string;
}

/** Where a written item lives in the CRM tables, and the sync resource that fills them. */
function targetOf(write: WriteRequest): Target {
  switch (write.resource) {
    case 'contacts':
      return { table: 'contacts', resource: 'contacts' };
    case 'events':
      return { table: 'calendar_events', resource: 'calendar' };
    case 'objects':
      return { table: 'crm_objects', resource: write.objectType, objectType: write.objectType };
  }
}

/**
 * Brings the CRM tables to what the provider holds after a write, in the transaction that records its outcome
 * (docs/write-back.md, "Write and sync agree"): an applied write's item, or on a conflict the provider's current
 * one, is stored exactly as the sync would store it (sealed, same record and content hash), so the next
 * incremental round finds it unchanged and reports nothing. Tagged with the resource's current round generation,
 * so a full round under way does not sweep it. A connection that does not sync the resource gets no row, and nor
 * does one that has ended: the resource's row is locked while enabled, so an ending (which disables it) either waits
 * for this transaction, whose row a purge then deletes, or comes first and this stores nothing (docs/deletion.md).
 */
export async function storeOutcome(
  manager: EntityManager,
  content: ContentKeys,
  row: { connection_id: string; tenant_id: string },
  { outcome, write }: Finish,
): Promise<void> {
  // A write without a request never reached the provider: it changed nothing there.
  if (outcome.kind === 'refused' || !write) return;
  const { table, resource, objectType } = targetOf(write);
  const state = await syncStates.lockPosition(manager, row.connection_id, resource);
  if (!state) return;
  const item = outcome.kind === 'applied' ? outcome.record : outcome.current;
  await writePage(
    manager,
    content,
    { table, objectType, connectionId: row.connection_id, tenantId: row.tenant_id, resource },
    item ? { upserts: [item as never], deletes: [] } : { upserts: [], deletes: [outcome.externalId] },
    { generation: state.roundGeneration, sweep: null },
  );
}
