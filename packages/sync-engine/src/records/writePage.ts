import type { CrmTableName, RecordsByTable, SyncPage } from '@crm-sync/core';
import {
  calendarEventUpsert,
  contactUpsert,
  crmObjectUpsert,
  emailUpsert,
  markDeleted,
  upsertRows,
  type SqlExecutor,
  type UpsertSpec,
} from '@crm-sync/db';
import { contentHash } from './contentHash';

/** What the engine adds to every provider-neutral record before it becomes a row. */
interface Stamp {
  connectionId: string;
  contentHash: string;
}

// The db specs' inputs are exactly record + stamp; the mapped type keeps table and spec paired.
const SPECS: { [T in CrmTableName]: UpsertSpec<RecordsByTable[T] & Stamp> } = {
  emails: emailUpsert,
  calendar_events: calendarEventUpsert as UpsertSpec<RecordsByTable['calendar_events'] & Stamp>,
  contacts: contactUpsert,
  crm_objects: crmObjectUpsert,
};

export interface PageCounts {
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** A syncer that writes crm_objects without saying which object type it owns: a programming error. */
export class MissingObjectTypeError extends Error {
  override name = 'MissingObjectTypeError';
}

/**
 * Upserts a page's records and marks its deletions, inside the caller's transaction. The hash covers the whole
 * record, so a record the provider re-sends unchanged costs a comparison and no write.
 */
export async function writePage<T extends CrmTableName>(
  executor: SqlExecutor,
  table: T,
  objectType: string | undefined,
  connectionId: string,
  page: SyncPage<T>,
): Promise<PageCounts> {
  const rows = page.upserts.map((record) => ({ ...record, connectionId, contentHash: contentHash(record) }));
  const upserted = await upsertRows(executor, SPECS[table], rows);
  let deleted = 0;
  if (page.deletes.length > 0) {
    if (table === 'crm_objects') {
      if (!objectType) throw new MissingObjectTypeError('a crm_objects syncer must declare its objectType');
      deleted = await markDeleted(executor, 'crm_objects', connectionId, page.deletes, objectType);
    } else {
      deleted = await markDeleted(
        executor,
        table as Exclude<CrmTableName, 'crm_objects'>,
        connectionId,
        page.deletes,
      );
    }
  }
  return { added: upserted.inserted, updated: upserted.updated, unchanged: upserted.unchanged, deleted };
}
