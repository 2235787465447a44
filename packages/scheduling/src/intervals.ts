import type { Provider, Resource } from '@crm-sync/core';

export interface SyncIntervals {
  /** Seconds between the end of one due time and the next, unless overridden below. */
  defaultSeconds: number;
  /** Per provider and resource, e.g. `{ 'hubspot.deals': 900 }`. */
  overrides?: Partial<Record<`${Provider}.${Resource}`, number>>;
  /**
   * Up to this fraction is added at random to each interval, so 100k accounts connected in the same minute do
   * not all fall due in the same second forever after.
   */
  jitterRatio: number;
}

export const DEFAULT_SYNC_INTERVALS: SyncIntervals = { defaultSeconds: 300, jitterRatio: 0.1 };

export function intervalSeconds(
  intervals: SyncIntervals,
  provider: Provider,
  resource: Resource,
  random: () => number = Math.random,
): number {
  const base = intervals.overrides?.[`${provider}.${resource}`] ?? intervals.defaultSeconds;
  return base * (1 + intervals.jitterRatio * random());
}
