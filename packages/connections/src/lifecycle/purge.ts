import type { DataSource } from 'typeorm';
import { writeAudit } from '../audit';

/**
 * Every table that holds data synced for a connection: the CRM tables, and the quarantine, whose rows name items
 * of the user's account (ids and error codes, no content) and so go with the rest.
 */
const SYNCED_TABLES = ['emails', 'calendar_events', 'contacts', 'crm_objects', 'sync_quarantine'] as const;

/** Small batches keep each delete's locks and WAL short, so a 100k-message purge does not stall other work. */
const PURGE_BATCH = 5_000;

/**
 * Deletes everything synced for a connection and records how much. The connection row and its audit trail stay:
 * they are the connection log users were promised. Safe to repeat.
 */
export async function purgeConnectionData(
  db: DataSource,
  input: { connectionId: string; tenantId: string; actor: string },
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const table of SYNCED_TABLES) {
    deleted[table] = 0;
    for (;;) {
      const [, count] = (await db.query(
        `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE connection_id = $1 LIMIT ${PURGE_BATCH})`,
        [input.connectionId],
      )) as [unknown, number];
      deleted[table] += count;
      if (count < PURGE_BATCH) break;
    }
  }
  await writeAudit(db.manager, {
    connectionId: input.connectionId,
    tenantId: input.tenantId,
    type: 'purge_completed',
    actor: input.actor,
    details: deleted,
  });
  return deleted;
}
