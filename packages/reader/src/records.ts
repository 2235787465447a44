import { openRow, DataKeyShreddedError, type DataKey } from '@crm-sync/vault';
import { ContentShreddedError, SealedContentError } from './errors';
import { KIND_SPECS, rowKeyOf, type Kind, type RecordsByKind } from './kinds';

/** A row as pageQuery selects it. */
export type PageRow = {
  id: string;
  change_xid: string;
  external_id: string;
  updated_at: Date;
  deleted_at: Date | null;
  sealed: Buffer | null;
} & Record<string, unknown>;

/** A row that is there: its decrypted record. */
export interface LiveItem<K extends Kind> {
  deleted: false;
  /** The row's id in crm-sync's table (stable for the row's life). */
  id: string;
  externalId: string;
  updatedAt: Date;
  record: RecordsByKind[K];
}

/** A row the provider deleted (a change feed serves each deletion once). Only ids: its content is gone for the CRM. */
export interface DeletedItem {
  deleted: true;
  id: string;
  externalId: string;
  /** crm_objects only: the HubSpot object type (ids are unique per type). */
  objectType?: string;
  deletedAt: Date;
  updatedAt: Date;
}

export type Item<K extends Kind> = LiveItem<K> | DeletedItem;

const EMPTY = { texts: [] as string[], json: null, text: null, time: null, boolean: false };

function plainFields(
  columns: Record<string, [string, keyof typeof EMPTY]>,
  row: PageRow,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [field, [column, type]] of Object.entries(columns)) fields[field] = row[column] ?? EMPTY[type];
  return fields;
}

/**
 * A page row as the CRM gets it: deletions as ids, live rows with their sealed value opened under the connection's
 * data key (bound to this table, connection and row: a value moved or altered does not open) and validated. Rows
 * written before sealing (sealed NULL) still hold their content in the plain columns and are read from those.
 */
export function toItem<K extends Kind>(kind: K, row: PageRow, dataKey: () => DataKey): Item<K> {
  const base = { id: row.id, externalId: row.external_id, updatedAt: row.updated_at };
  if (row.deleted_at !== null) {
    return {
      ...base,
      deleted: true,
      deletedAt: row.deleted_at,
      ...(kind === 'objects' && { objectType: String(row.object_type) }),
    };
  }
  const spec = KIND_SPECS[kind];
  // Rows written before sealing (or before a field joined the sealed ones) hold it in the plain column.
  let content = plainFields(spec.legacy, row);
  if (Buffer.isBuffer(row.sealed)) {
    const key = dataKey();
    try {
      const opened = openRow(key, { table: spec.table, rowKey: rowKeyOf(kind, row as never) }, row.sealed);
      content = { ...content, ...spec.sealed.parse(opened) };
    } catch {
      throw new SealedContentError(key.connectionId, kind, row.id);
    }
  }
  const record = { externalId: row.external_id, ...plainFields(spec.plain, row), ...content };
  return { ...base, deleted: false, record: record as unknown as RecordsByKind[K] };
}

/** DataKeyShreddedError as the reader's own error; anything else unchanged. */
export function readerError(error: unknown): unknown {
  return error instanceof DataKeyShreddedError ? new ContentShreddedError(error.connectionId) : error;
}
