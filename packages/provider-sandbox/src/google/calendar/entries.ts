import { type Account, type Change, type StoredItem } from '../../core/types';
import { baseOf, type CalendarEventData } from './generate';
import { renderCancelled, renderEvent, renderMaster } from './render';

/**
 * How events.list shows recurring events (https://developers.google.com/workspace/calendar/api/v3/reference/events/list):
 * `singleEvents` lists every occurrence as its own event; without it a series is its master plus the occurrences
 * that differ (moved ones, and cancelled ones, which are listed even without `showDeleted`). With both `singleEvents`
 * and `showDeleted`, cancelled occurrences are listed as cancelled instances, never the master.
 */
export interface ListingMode {
  singleEvents: boolean;
  showDeleted: boolean;
}

type Entry =
  ReturnType<typeof renderEvent> | ReturnType<typeof renderMaster> | ReturnType<typeof renderCancelled>;

/** Whether an item shows in a listing at all (so pages are counted in what they show). */
export function visible({ data }: StoredItem<CalendarEventData>, mode: ListingMode): boolean {
  if (mode.singleEvents) return !data.cancelled || mode.showDeleted;
  return !data.series || data.series.index === 0 || data.exception || data.cancelled;
}

/** What one live item shows as: a master and the root occurrence may both show for a series' first item. */
export function entriesOf(account: Account, item: StoredItem<CalendarEventData>, mode: ListingMode): Entry[] {
  const { data } = item;
  const occurrence = data.cancelled
    ? renderCancelled(account, item.id, item.seq, data)
    : renderEvent(account, item);
  if (mode.singleEvents) return visible(item, mode) ? [occurrence] : [];
  if (!data.series) return [occurrence];
  const differs = data.exception || data.cancelled;
  const master = data.series.index === 0 ? [renderMaster(account, item)] : [];
  return [...master, ...(differs ? [occurrence] : [])];
}

/**
 * What a deletion shows as. The item's data is gone; its generated form still tells whether it was an occurrence
 * (generators are pure), so a deleted occurrence is a cancelled instance of its series.
 */
export function deletedEntries(account: Account, change: Change, mode: ListingMode) {
  const base = baseOf(account, change.id);
  const asMaster = !mode.singleEvents && base?.series?.index === 0;
  return [renderCancelled(account, change.id, change.seq, base?.series && !asMaster ? base : undefined)];
}

/**
 * The first units (items or changes) whose entries fit in `max`: a series' first item can show as two entries, so a
 * page of `max` items may not fit. A single unit is kept even when it alone is larger (maxResults=1 on such an item).
 */
export function fitPage<U>(units: U[], entriesOfUnit: (unit: U) => Entry[], max: number) {
  const kept: U[] = [];
  const shown: Entry[] = [];
  for (const unit of units) {
    const entries = entriesOfUnit(unit);
    if (kept.length > 0 && shown.length + entries.length > max) break;
    kept.push(unit);
    shown.push(...entries);
  }
  return { kept, shown };
}
