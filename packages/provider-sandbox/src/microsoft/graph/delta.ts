import { type Dataset, type StoredItem } from '../../core/types';
import { type DeltaCursor, type DeltaQuery } from './deltaToken';

/** One page of a delta round, before rendering: live items and ids reported as removed. */
export type DeltaEntry<T> = { kind: 'item'; item: StoredItem<T> } | { kind: 'removed'; id: string };

export type DeltaStep<T> =
  | { ok: true; entries: DeltaEntry<T>[]; next: { cursor: DeltaCursor } | { deltaSince: number } }
  | { ok: false; reason: 'expired' | 'invalid' };

export interface DeltaOptions<T> {
  pageSize: number;
  /** Items outside the query (calendarView window, `$filter`) are skipped initially and reported removed later. */
  inScope: (item: StoredItem<T>, query: DeltaQuery) => boolean;
  /**
   * For a changes round: whether a live item now out of scope may have been in it (and so is reported removed).
   * Without it every such item is (a `$filter` or window it left); message delta passes "was filed in this folder",
   * so a folder does not report messages that never were in it.
   */
  wasInScope?: (item: StoredItem<T>) => boolean;
}

/**
 * The initial round walks live items by ordinal (stable under deletes and adds) and ends with a delta link at the
 * sequence the round started from, so changes made during the round are replayed next round — Graph allows repeats,
 * never losses. A round cap (`$top`, message delta's `$filter` limit) ends the round early: what lies beyond it is
 * not served at all (docs/providers/microsoft.md#delta-endpoints).
 */
function initialPage<T>(
  dataset: Dataset<T>,
  query: DeltaQuery,
  cursor: Extract<DeltaCursor, { kind: 'initial' }>,
  options: DeltaOptions<T>,
): DeltaStep<T> {
  const room = query.roundCap === undefined ? options.pageSize : query.roundCap - cursor.served;
  const page = dataset.page({
    ...(cursor.afterOrdinal === undefined ? {} : { after: cursor.afterOrdinal }),
    limit: Math.min(options.pageSize, room),
    order: query.newestFirst ? 'desc' : 'asc',
    filter: (item) => options.inScope(item, query),
  });
  const entries = page.items.map((item): DeltaEntry<T> => ({ kind: 'item', item }));
  const served = cursor.served + entries.length;
  const capped = query.roundCap !== undefined && served >= query.roundCap;
  if (page.nextOrdinal === undefined || capped)
    return { ok: true, entries, next: { deltaSince: cursor.until } };
  return { ok: true, entries, next: { cursor: { ...cursor, afterOrdinal: page.nextOrdinal, served } } };
}

/**
 * Replays the change log in (since, until], `pageSize` ids at a time, resuming after the last sequence served: an
 * item changed again while the round pages moves past `until` (to the next round) and shifts nothing else.
 */
function changesPage<T>(
  dataset: Dataset<T>,
  query: DeltaQuery,
  cursor: Extract<DeltaCursor, { kind: 'changes' }>,
  options: DeltaOptions<T>,
): DeltaStep<T> {
  const result = dataset.changesSince(cursor.since);
  if (!result.ok) return result;
  const inRound = result.changes.filter(
    (change) => change.seq > cursor.afterSeq && change.seq <= cursor.until,
  );
  const slice = inRound.slice(0, options.pageSize);
  const entries = slice.flatMap((change): DeltaEntry<T>[] => {
    const item = change.kind === 'delete' ? undefined : dataset.get(change.id);
    if (item !== undefined && options.inScope(item, query)) return [{ kind: 'item', item }];
    if (item !== undefined && options.wasInScope && !options.wasInScope(item)) return [];
    return [{ kind: 'removed', id: change.id }];
  });
  const last = slice[slice.length - 1];
  if (last === undefined || slice.length === inRound.length)
    return { ok: true, entries, next: { deltaSince: cursor.until } };
  return { ok: true, entries, next: { cursor: { ...cursor, afterSeq: last.seq } } };
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
