import type { ChildFieldsByTable, CrmTableName, RecordsByTable, RowRecord } from '@crm-sync/core';
import { removeChildrenOfDeleted, replaceChildren, type ChildSpec, type SqlExecutor } from '@crm-sync/db';
import { rowKeyOf, type PageSealer } from './sealing';

/**
 * Rows kept in step with a CRM table's rows (an email's attachments, an item's participants): the db spec of the
 * table they go to and how a record gives them, either from a record field that holds them (left out of the row)
 * or derived from the row's own fields.
 */
export interface ChildTable<T extends CrmTableName> {
  readonly field: ChildFieldsByTable[T] | undefined;
  readonly spec: ChildSpec<unknown>;
  childrenOf(record: RecordsByTable[T]): readonly unknown[];
  /** A child as its row holds it, content sealed (records/sealing.ts), for the parent row of key `parentKey`. */
  seal(sealer: PageSealer, parentKey: readonly string[], child: unknown): unknown;
}

/** How a child of type Child becomes the row its spec writes. */
export type ChildSealer<Child, Row> = (sealer: PageSealer, parentKey: readonly string[], child: Child) => Row;

/** Children a record carries in `field` (core's ChildFieldsByTable). */
export function childField<T extends CrmTableName, Child, Row>(
  field: ChildFieldsByTable[T],
  spec: ChildSpec<Row>,
  seal: ChildSealer<Child, Row>,
): ChildTable<T> {
  return {
    field,
    spec: spec as ChildSpec<unknown>,
    childrenOf: (record) => (record as unknown as Record<string, readonly unknown[]>)[field] ?? [],
    seal: seal as ChildSealer<unknown, unknown>,
  };
}

/**
 * Children derived from what the record holds: the row's own fields (the people named in an email's headers), or
 * a `field` kept out of the row for them (a CRM object's addresses).
 */
export function derivedChildren<T extends CrmTableName, Child, Row>(
  spec: ChildSpec<Row>,
  derive: (record: RecordsByTable[T]) => readonly Child[],
  seal: ChildSealer<Child, Row>,
  field?: ChildFieldsByTable[T],
): ChildTable<T> {
  return {
    field,
    spec: spec as ChildSpec<unknown>,
    childrenOf: derive,
    seal: seal as ChildSealer<unknown, unknown>,
  };
}

/** The record without the fields its child tables hold: what the row stores. */
export function rowPart<T extends CrmTableName>(
  record: RecordsByTable[T],
  children: readonly ChildTable<T>[],
): RowRecord<T> {
  const row: Record<string, unknown> = { ...record };
  for (const child of children) if (child.field !== undefined) delete row[child.field];
  return row as RowRecord<T>;
}

/** The rows a page's children hang from: their connection, and for crm_objects their one object type. */
export interface ParentScope {
  connectionId: string;
  parentType: string | undefined;
}

/**
 * Replaces the children of the rows the page wrote with new content (inserted, changed or revived), from their
 * records; rows the upsert left alone keep theirs, which is what keeps a settled mailbox's rounds cheap.
 */
export async function writeChildren<T extends CrmTableName>(
  executor: SqlExecutor,
  children: readonly ChildTable<T>[],
  sealer: PageSealer,
  scope: ParentScope,
  records: readonly RecordsByTable[T][],
  written: readonly string[],
): Promise<void> {
  if (written.length === 0) return;
  const wanted = new Set(written);
  // A key repeated in the page: the last record is the one the upsert stored.
  const latest = new Map<string, RecordsByTable[T]>();
  for (const record of records) if (wanted.has(record.externalId)) latest.set(record.externalId, record);
  for (const child of children) {
    const sets = [...latest.values()].map((record) => ({
      parentId: record.externalId,
      children: child.childrenOf(record).map((one) => child.seal(sealer, rowKeyOf(record), one)),
    }));
    await replaceChildren(executor, child.spec, scope.connectionId, sets, scope.parentType);
  }
}

/** Children of rows just marked deleted (of the given ids, or of any deleted row after a sweep) go. */
export async function removeDeletedChildren<T extends CrmTableName>(
  executor: SqlExecutor,
  children: readonly ChildTable<T>[],
  scope: ParentScope,
  parentIds?: readonly string[],
): Promise<void> {
  for (const child of children)
    await removeChildrenOfDeleted(executor, child.spec, scope.connectionId, parentIds, scope.parentType);
}
