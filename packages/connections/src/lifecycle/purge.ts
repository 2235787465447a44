import type { DataSource, EntityManager } from 'typeorm';
import { writeAudit } from '../audit';

/**
 * Every table that holds data synced for a connection, children before the rows they belong to (participants,
 * attachments, associations: they would go by cascade, but uncounted): the CRM tables, and the quarantine, whose rows name
 * items of the user's account (ids and error codes, no content) and so go with the rest.
 */
export const SYNCED_TABLES = [
  'participants',
  'email_attachments',
  'crm_associations',
  'emails',
  'calendar_events',
  'contacts',
  'tasks',
  'drive_files',
  'crm_objects',
  'sync_quarantine',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** Small batches keep each delete's locks and WAL short, so a 100k-message purge does not stall other work. */
export const DEFAULT_PURGE_BATCH = 5_000;

/**
 * Deletes the synced rows of `connectionIds`, table by table, `batchSize` rows a statement. Each batch commits
 * with whatever `onBatch` writes in the same transaction (a deletion request's progress), so a purge killed
 * midway resumes with its counts right. Rows are picked by `ctid`, as the child tables have no id column.
 */
export async function deleteSyncedRows(
  db: DataSource,
  connectionIds: string[],
  batchSize: number,
  onBatch: (manager: EntityManager, table: SyncedTable, count: number) => Promise<void>,
): Promise<void> {
  for (const table of SYNCED_TABLES) {
    for (;;) {
      const count = await db.transaction(async (manager) => {
        const [, deleted] = (await manager.query(
          `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM ${table} WHERE connection_id = ANY($1::uuid[]) LIMIT $2))`,
          [connectionIds, batchSize],
        )) as [unknown, number];
        if (deleted > 0) await onBatch(manager, table, deleted);
        return deleted;
      });
      if (count < batchSize) break;
    }
  }
}

/**
 * Deletes everything synced for a connection and records how much. The connection row and its audit trail stay:
 * they are the connection log users were promised. Safe to repeat.
 */
export async function purgeConnectionData(
  db: DataSource,
  input: { connectionId: string; tenantId: string; actor: string; batchSize?: number },
): Promise<Record<SyncedTable, number>> {
  const deleted = Object.fromEntries(SYNCED_TABLES.map((t) => [t, 0])) as Record<SyncedTable, number>;
  await deleteSyncedRows(
    db,
    [input.connectionId],
    input.batchSize ?? DEFAULT_PURGE_BATCH,
    async (_m, t, n) => {
      deleted[t] += n;
    },
  );
  await db.transaction(async (manager) => {
    await manager.query(`UPDATE connections SET data_purged_at = now() WHERE id = $1`, [input.connectionId]);
    await writeAudit(manager, {
      connectionId: input.connectionId,
      tenantId: input.tenantId,
      type: 'purge_completed',
      actor: input.actor,
      details: deleted,
    });
  });
  return deleted;
}
