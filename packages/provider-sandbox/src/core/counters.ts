import { type CounterEntry, type Counters } from './types';

/** Aggregated request counts keyed by (provider, route, account, status, token state). */
export function createCounters(): Counters {
  const counts = new Map<string, CounterEntry>();
  return {
    record(entry) {
      const key = [entry.provider, entry.route, entry.accountId ?? '', entry.status, entry.tokenState].join(
        '\u0000',
      );
      const existing = counts.get(key);
      if (existing) existing.count += 1;
      else counts.set(key, { ...entry, count: 1 });
    },
    entries: () => [...counts.values()].map((entry) => ({ ...entry })),
    reset: () => counts.clear(),
  };
}
