import type { ChildFieldsByTable, CrmTableName, RecordsByTable, RowRecord } from '@crm-sync/core';
import { removeChildrenOfDeleted, replaceChildren, type ChildSpec, type SqlExecutor } from '@crm-sync/db';

/** A table's child records: which record field holds them and the db spec of the table they go to. */
export interface ChildTable<T extends CrmTableName> {
  readonly field: ChildFieldsByTable[T];
  readonly spec: ChildSpec<unknown>;
  /** The record without its children: what the row holds. */
  rowPart(record: RecordsByTable[T]): RowRecord<T>;
  childrenOf(record: RecordsByTable[T]): readonly unknown[];
}

export function childTable<T extends CrmTableName, Child>(
  field: ChildFieldsByTable[T],
  spec: ChildSpec<Child>,
): ChildTable<T> {
  return {
    field,
    spec: spec as ChildSpec<unknown>,
    rowPart(record) {
      const { [field]: _children, ...row } = record as unknown as Record<string, unknown>;
      return row as RowRecord<T>;
    },
    childrenOf: (record) => (record as unknown as Record<string, readonly unknown[]>)[field] ?? [],
  };
}

/**
 * Replaces the children of the rows the page wrote with new content (inserted, changed or revived), from their
 * records; rows the upsert left alone keep theirs, which is what keeps a settled mailbox's rounds cheap.
 */
export async function writeChildren<T extends CrmTableName>(
  executor: SqlExecutor,
  children: ChildTable<T>,
  connectionId: string,
  records: readonly RecordsByTable[T][],
  written: readonly string[],
): Promise<void> {
  if (written.length === 0) return;
  const wanted = new Set(written);
  // A key repeated in the page: the last record is the one the upsert stored.
  const latest = new Map<string, RecordsByTable[T]>();
  for (const record of records) if (wanted.has(record.externalId)) latest.set(record.externalId, record);
  const sets = [...latest.values()].map((record) => ({
    parentId: record.externalId,
    children: children.childrenOf(record),
  }));
  await replaceChildren(executor, children.spec, connectionId, sets);
}

/** Children of rows just marked deleted (of the given ids, or of any deleted row after a sweep) go. */
export function removeDeletedChildren<T extends CrmTableName>(
  executor: SqlExecutor,
  children: ChildTable<T>,
  connectionId: string,
  parentIds?: readonly string[],
): Promise<void> {
  return removeChildrenOfDeleted(executor, children.spec, connectionId, parentIds);
}
