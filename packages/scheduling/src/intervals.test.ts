import { intervalMs, type SyncIntervals } from './intervals';

const intervals: SyncIntervals = {
  defaultMs: 300_000,
  overrides: { 'hubspot.deals': 900_000 },
  jitterRatio: 0.2,
};

it('uses the override for a provider resource and the default otherwise', () => {
  expect(intervalMs(intervals, 'hubspot', 'deals', () => 0)).toBe(900_000);
  expect(intervalMs(intervals, 'google', 'mail', () => 0)).toBe(300_000);
});

it('adds at most the jitter ratio', () => {
  expect(intervalMs(intervals, 'google', 'mail', () => 0.999999) / 1000).toBeCloseTo(360, 3);
  const spread = new Set(
    Array.from({ length: 100 }, () => Math.round(intervalMs(intervals, 'google', 'mail') / 1000)),
  );
  expect(spread.size).toBeGreaterThan(20);
  for (const value of spread) expect(value).toBeGreaterThanOrEqual(300);
  for (const value of spread) expect(value).toBeLessThanOrEqual(360);
});
