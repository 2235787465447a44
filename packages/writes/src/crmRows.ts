import type { WriteResource, WriteOutcome } from '@crm-sync/core';
import { writePage } from '@crm-sync/sync-engine';
import { syncStates } from '@crm-sync/sync-states';
import type { ContentKeys } from '@crm-sync/vault';
import type { EntityManager } from 'typeorm';

/** Where a written resource's items live in the CRM tables, and the sync resource that fills them. */
const TARGETS = {
  contacts: { table: 'contacts', resource: 'contacts' },
  events: { table: 'calendar_events', resource: 'calendar' },
} as const satisfies Record<WriteResource, { table: string; resource: string }>;

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
  row: { connection_id: string; tenant_id: string; resource: WriteResource },
  outcome: WriteOutcome,
): Promise<void> {
  if (outcome.kind === 'refused') return;
  const { table, resource } = TARGETS[row.resource];
  const state = await syncStates.lockPosition(manager, row.connection_id, resource);
  if (!state) return;
  const item = outcome.kind === 'applied' ? outcome.record : outcome.current;
  await writePage(
    manager,
    content,
    { table, objectType: undefined, connectionId: row.connection_id, tenantId: row.tenant_id, resource },
    item ? { upserts: [item as never], deletes: [] } : { upserts: [], deletes: [outcome.externalId] },
    { generation: state.roundGeneration, sweep: null },
  );
}
