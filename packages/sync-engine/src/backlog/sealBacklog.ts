import type { CrmTableName, EmailRecord, RecordsByTable } from '@crm-sync/core';
import { SEALED_FIELDS, type SqlExecutor } from '@crm-sync/db';
import { DataKeyShreddedError, type ContentKeys } from '@crm-sync/vault';
import type { DataSource } from 'typeorm';
import { messageTerms } from '../records/messageTerms';
import { PageSealer, rowKeyOf } from '../records/sealing';

/** The item tables whose rows written before sealing (`sealed` NULL) this seals, in this order. */
export const BACKLOG_TABLES = ['emails', 'calendar_events', 'contacts', 'crm_objects', 'tasks'] as const;
type BacklogTable = (typeof BACKLOG_TABLES)[number] & CrmTableName;

export interface BacklogProgress {
  table: BacklogTable;
  /** Rows sealed by this batch, and by the run so far in this table. */
  sealed: number;
  total: number;
  /** Rows of a connection whose data key was shredded: left for the purge that follows every shred. */
  skipped: number;
  /** Unsealed rows left in the table after this batch. */
  remaining: number;
}

export interface SealBacklogOptions {
  db: DataSource;
  keys: ContentKeys;
  batchSize: number;
  onProgress?: (progress: BacklogProgress) => void;
}

type LegacyRow = Record<string, unknown> & { id: string; connection_id: string; tenant_id: string };

/**
 * Seals rows written before migration 1765000000101 (issue 19, docs/encryption-at-rest.md "Batch sealing") as the
 * write path would: each batch, in its own transaction, locks up to `batchSize` unsealed rows (`FOR UPDATE SKIP
 * LOCKED`, so a sync writing the same rows or a second sealer never waits on or repeats this one), seals their
 * content fields under the connection's data key with their blind index terms, and empties the plain columns
 * (`DEFAULT`: NULL, '{}' or '[]'). `updated_at` is left alone: the content did not change, so the read API's change
 * feed does not serve the row again. Progress is the data itself (`sealed IS NULL`), so a run killed at any point is
 * resumed by running it again, and a finished one finds nothing to do.
 */
export async function sealBacklog(options: SealBacklogOptions): Promise<Record<BacklogTable, number>> {
  const done = {} as Record<BacklogTable, number>;
  for (const table of BACKLOG_TABLES) done[table] = await sealTable(options, table);
  return done;
}

async function sealTable(options: SealBacklogOptions, table: BacklogTable): Promise<number> {
  let after = '0';
  let total = 0;
  let skipped = 0;
  for (;;) {
    const batch = await options.db.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT t.*, t.id::text AS id, c.tenant_id FROM ${table} t JOIN connections c ON c.id = t.connection_id
          WHERE t.sealed IS NULL AND t.id > $1 ORDER BY t.id LIMIT $2 FOR UPDATE OF t SKIP LOCKED`,
        [after, options.batchSize],
      )) as LegacyRow[];
      return { rows, ...(await sealRows(manager, options.keys, table, rows)) };
    });
    if (batch.rows.length === 0) return total;
    after = batch.rows.at(-1)!.id;
    total += batch.sealed;
    skipped += batch.skipped;
    const [{ n }] = (await options.db.query(
      `SELECT count(*)::int AS n FROM ${table} WHERE sealed IS NULL`,
    )) as [{ n: number }];
    options.onProgress?.({ table, sealed: batch.sealed, total, skipped, remaining: n });
  }
}

async function sealRows(
  manager: SqlExecutor,
  keys: ContentKeys,
  table: BacklogTable,
  rows: LegacyRow[],
): Promise<{ sealed: number; skipped: number }> {
  const sealers = new Map<string, PageSealer | null>();
  const columns = Object.entries(SEALED_FIELDS[table]) as Array<[string, string]>;
  let sealed = 0;
  for (const row of rows) {
    let sealer = sealers.get(row.connection_id);
    if (sealer === undefined) {
      sealer = await PageSealer.open(keys, {
        connectionId: row.connection_id,
        tenantId: row.tenant_id,
      }).catch((error: unknown) => {
        if (error instanceof DataKeyShreddedError) return null;
        throw error;
      });
      sealers.set(row.connection_id, sealer);
    }
    if (sealer === null) continue;
    const content = Object.fromEntries(columns.map(([field, column]) => [field, row[column] ?? null]));
    const record = {
      ...content,
      externalId: String(row.external_id),
      ...(table === 'crm_objects' && { objectType: String(row.object_type) }),
    } as unknown as RecordsByTable[BacklogTable];
    const { sealed: value } = sealer.seal(table, rowKeyOf(record as { externalId: string }), content);
    const set = [...columns.map(([, column]) => `${column} = DEFAULT`), 'sealed = $2'];
    const parameters: unknown[] = [row.id, value];
    if (table !== 'tasks') {
      parameters.push(sealer.termsOf(table, record as never));
      set.push(`blind_index = $${parameters.length}`);
    }
    if (table === 'emails') {
      parameters.push(messageTerms(keys.indexKeys, row.tenant_id, record as EmailRecord));
      set.push(`message_terms = $${parameters.length}`);
    }
    await manager.query(`UPDATE ${table} SET ${set.join(', ')} WHERE id = $1`, parameters);
    sealed += 1;
  }
  return { sealed, skipped: rows.length - sealed };
}
