import { SEALED_FIELDS, type SealedTable, type SqlExecutor } from '@crm-sync/db';
import { randomBytes } from 'node:crypto';
import { createContentKeys, KeyRing, openRow, type ContentKeys, type SqlRunner } from '@crm-sync/vault';

/** Content keys over a test database: a fresh random vault ring and content index secret. */
export function testContentKeys(db: SqlRunner, keyRing?: KeyRing): ContentKeys {
  return createContentKeys({
    db,
    keyRing: keyRing ?? new KeyRing({ activeKeyId: 'test', keys: { test: randomBytes(32) } }),
    index: { activeKeyId: 'test-index', keys: { 'test-index': randomBytes(32) } },
  });
}

/** A row as `SELECT *` gives it, with its sealed fields opened into the plain columns that once held them. */
export type OpenedRow = Record<string, unknown>;

const PARTICIPANT_PARENTS = [
  ['email_external_id', 'emails'],
  ['event_external_id', 'calendar_events'],
  ['contact_external_id', 'contacts'],
] as const;

/** The row key a sealed value of `table` is bound to (as the sync engine's records/sealing.ts seals it). */
function rowKeyOf(table: SealedTable, row: OpenedRow): string[] {
  const text = (column: string) => String(row[column]);
  switch (table) {
    case 'crm_objects':
      return [text('object_type'), text('external_id')];
    case 'email_attachments':
      return [text('email_external_id'), text('attachment_id')];
    case 'participants': {
      const term = (row.term as Buffer).toString('hex');
      if (row.object_external_id !== null)
        return ['crm_objects', text('object_type'), text('object_external_id'), term];
      const [column, parentTable] = PARTICIPANT_PARENTS.find(([c]) => row[c] !== null) ?? [];
      if (!column || !parentTable) throw new Error('participant row without an item');
      return [parentTable, text(column), term];
    }
    default:
      return [text('external_id')];
  }
}

/**
 * The rows of `table` matching `where` (SQL after `WHERE`, `$n` parameters), read the way tests read synced rows:
 * each row's sealed value opened with its connection's data key and spread into the plain columns it replaced
 * (packages/db `SEALED_FIELDS`), so assertions on subjects, addresses or properties read as before sealing. Opening
 * fails as any reader's would: SealedRowError for a value moved or altered, DataKeyShreddedError after a shred.
 */
export async function openRows(
  db: SqlExecutor,
  content: ContentKeys,
  table: SealedTable,
  where = 'true',
  parameters: unknown[] = [],
): Promise<OpenedRow[]> {
  const rows = (await db.query(`SELECT * FROM ${table} WHERE ${where}`, parameters)) as OpenedRow[];
  const opened: OpenedRow[] = [];
  for (const row of rows) {
    const { sealed, ...plain } = row;
    if (!Buffer.isBuffer(sealed)) {
      opened.push(plain);
      continue;
    }
    const key = await content.dataKeys.forRead(String(row.connection_id));
    const fields = openRow(key, { table, rowKey: rowKeyOf(table, row) }, sealed) as Record<string, unknown>;
    // A table born sealed has no plain column: its fields come back under their record names.
    for (const [field, column] of Object.entries(SEALED_FIELDS[table]))
      plain[column ?? field] = fields[field] ?? null;
    opened.push(plain);
  }
  return opened;
}
