import type { CrmTableName, ListedWindow, RecordsByTable, SyncPage } from '@crm-sync/core';
import {
  calendarEventUpsert,
  contactUpsert,
  crmObjectUpsert,
  emailUpsert,
  markDeleted,
  sweepUnseen,
  upsertRows,
  type SqlExecutor,
  type UpsertSpec,
} from '@crm-sync/db';
import { contentHash } from './contentHash';

/** What the engine adds to every provider-neutral record before it becomes a row. */
interface Stamp {
  connectionId: string;
  contentHash: string;
  seenRound: number;
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
  /** Rows a completed full round did not list, marked deleted. */
  swept: number;
}

/** Where a page lands: one resource's rows of one connection. */
export interface PageTarget<T extends CrmTableName> {
  table: T;
  /** For crm_objects: the object type of every record and deletion. */
  objectType: string | undefined;
  connectionId: string;
}

/** The round a page belongs to, and whether the page completes a full round (which then sweeps). */
export interface PageRound {
  generation: number;
  /** Set on the page that completes a full round; `window` when that round listed only a window. */
  sweep: { window: ListedWindow | undefined } | null;
}

/** A syncer that writes crm_objects without saying which object type it owns: a programming error. */
export class MissingObjectTypeError extends Error {
  override name = 'MissingObjectTypeError';
}

/**
 * Upserts a page's records, marks its deletions and, on the page that completes a full round, sweeps the rows the
 * round did not list, inside the caller's transaction. The hash covers the whole record, so a record the provider
 * re-sends unchanged costs a comparison and, at most, the write of its round generation.
 */
export async function writePage<T extends CrmTableName>(
  executor: SqlExecutor,
  target: PageTarget<T>,
  page: SyncPage<T>,
  round: PageRound,
): Promise<PageCounts> {
  const { table, objectType, connectionId } = target;
  if (table === 'crm_objects' && !objectType)
    throw new MissingObjectTypeError('a crm_objects syncer must declare its objectType');
  const rows = page.upserts.map((record) => ({
    ...record,
    connectionId,
    contentHash: contentHash(record),
    seenRound: round.generation,
  }));
  const upserted = await upsertRows(executor, SPECS[table], rows);
  let deleted = 0;
  if (page.deletes.length > 0) {
    deleted =
      table === 'crm_objects'
        ? await markDeleted(executor, 'crm_objects', connectionId, page.deletes, objectType as string)
        : await markDeleted(
            executor,
            table as Exclude<CrmTableName, 'crm_objects'>,
            connectionId,
            page.deletes,
          );
  }
  const swept = round.sweep
    ? await sweepUnseen(executor, table, {
        connectionId,
        generation: round.generation,
        ...(objectType !== undefined && { objectType }),
        ...(round.sweep.window && { window: round.sweep.window }),
      })
    : 0;
  return {
    added: upserted.inserted,
    updated: upserted.updated,
    unchanged: upserted.unchanged,
    deleted,
    swept,
  };
}
