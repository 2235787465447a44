import { type Dataset, type StoredItem } from '../../core/types';
import { type DeltaCursor, type DeltaQuery } from './deltaToken';

/** One page of a delta round, before rendering: live items and ids reported as removed. */
export type DeltaEntry<T> = { kind: 'item'; item: StoredItem<T> } | { kind: 'removed'; id: string };

export type DeltaStep<T> =
  | { ok: true; entries: DeltaEntry<T>[]; next: { cursor: DeltaCursor } | { deltaSince: number } }
  | { ok: false; reason: 'expired' | 'invalid' };

export interface DeltaOptions<T> {
  pageSize: number;
  /** Items outside the query (calendarView window) are skipped initially and reported removed later. */
  inScope: (item: StoredItem<T>, query: DeltaQuery) => boolean;
}

/**
 * The initial round walks live items by ordinal (stable under deletes and adds) and ends with a
 * delta link at the sequence the round started from, so changes made during the round are
 * replayed next round — Graph allows repeats, never losses.
 */
function initialPage<T>(
  dataset: Dataset<T>,
  query: DeltaQuery,
  cursor: Extract<DeltaCursor, { kind: 'initial' }>,
  options: DeltaOptions<T>,
): DeltaStep<T> {
  const page = dataset.page({
    ...(cursor.afterOrdinal === undefined ? {} : { after: cursor.afterOrdinal }),
    limit: options.pageSize,
    order: 'asc',
    filter: (item) => options.inScope(item, query),
  });
  const entries = page.items.map((item): DeltaEntry<T> => ({ kind: 'item', item }));
  if (page.nextOrdinal === undefined) return { ok: true, entries, next: { deltaSince: cursor.until } };
  return {
    ok: true,
    entries,
    next: { cursor: { kind: 'initial', until: cursor.until, afterOrdinal: page.nextOrdinal } },
  };
}

/** Replays the change log in (since, until], `pageSize` ids at a time. */
function changesPage<T>(
  dataset: Dataset<T>,
  query: DeltaQuery,
  cursor: Extract<DeltaCursor, { kind: 'changes' }>,
  options: DeltaOptions<T>,
): DeltaStep<T> {
  const result = dataset.changesSince(cursor.since);
  if (!result.ok) return result;
  const inRound = result.changes.filter((change) => change.seq <= cursor.until);
  const slice = inRound.slice(cursor.offset, cursor.offset + options.pageSize);
  const entries = slice.map((change): DeltaEntry<T> => {
    const item = change.kind === 'delete' ? undefined : dataset.get(change.id);
    return item !== undefined && options.inScope(item, query)
      ? { kind: 'item', item }
      : { kind: 'removed', id: change.id };
  });
  const offset = cursor.offset + slice.length;
  if (offset >= inRound.length) return { ok: true, entries, next: { deltaSince: cursor.until } };
  return { ok: true, entries, next: { cursor: { ...cursor, offset } } };
}

export function deltaPage<T>(
  dataset: Dataset<T>,
  query: DeltaQuery,
  cursor: DeltaCursor,
  options: DeltaOptions<T>,
): DeltaStep<T> {
  return cursor.kind === 'initial'
    ? initialPage(dataset, query, cursor, options)
    : changesPage(dataset, query, cursor, options);
}
