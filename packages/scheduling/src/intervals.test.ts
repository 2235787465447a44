import { intervalSeconds, type SyncIntervals } from './intervals';

const intervals: SyncIntervals = {
  defaultSeconds: 300,
  overrides: { 'hubspot.deals': 900 },
  jitterRatio: 0.2,
};

it('uses the override for a provider resource and the default otherwise', () => {
  expect(intervalSeconds(intervals, 'hubspot', 'deals', () => 0)).toBe(900);
  expect(intervalSeconds(intervals, 'google', 'mail', () => 0)).toBe(300);
});

it('adds at most the jitter ratio', () => {
  expect(intervalSeconds(intervals, 'google', 'mail', () => 0.999999)).toBeCloseTo(360, 3);
  const spread = new Set(
    Array.from({ length: 100 }, () => Math.round(intervalSeconds(intervals, 'google', 'mail'))),
  );
  expect(spread.size).toBeGreaterThan(20);
  for (const value of spread) expect(value).toBeGreaterThanOrEqual(300);
  for (const value of spread) expect(value).toBeLessThanOrEqual(360);
});
