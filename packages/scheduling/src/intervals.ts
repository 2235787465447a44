import type { Provider, Resource } from '@crm-sync/core';

export interface SyncIntervals {
  /** Milliseconds from one due time to the next, unless overridden below. */
  defaultMs: number;
  /** Per provider and resource, in milliseconds, e.g. `{ 'hubspot.deals': 900_000 }`. */
  overrides?: Partial<Record<`${Provider}.${Resource}`, number>>;
  /**
   * Up to this fraction is added at random to each interval, so 100k accounts connected in the same minute do
   * not all fall due in the same second forever after.
   */
  jitterRatio: number;
  /**
   * From one due time to the next while a healthy push channel covers the resource: the poll is then only the
   * safety net for lost notices (docs/push.md). The resource's normal interval when absent or shorter.
   */
  pushedMs?: number;
}

export function intervalMs(
  intervals: SyncIntervals,
  provider: Provider,
  resource: Resource,
  random: () => number = Math.random,
): number {
  const base = intervals.overrides?.[`${provider}.${resource}`] ?? intervals.defaultMs;
  return base * (1 + intervals.jitterRatio * random());
}

/** The delays to the next due time, normal and pushed, with one jitter draw (the database picks one of them). */
export function nextDelays(
  intervals: SyncIntervals,
  provider: Provider,
  resource: Resource,
  random: () => number = Math.random,
): { delayMs: number; pushedDelayMs: number } {
  const base = intervals.overrides?.[`${provider}.${resource}`] ?? intervals.defaultMs;
  const spread = 1 + intervals.jitterRatio * random();
  return { delayMs: base * spread, pushedDelayMs: Math.max(base, intervals.pushedMs ?? base) * spread };
}
