import { intervalMs, nextDelays, type SyncIntervals } from './intervals';

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

it('the pushed delay stretches the same jittered interval, and is never shorter than the normal one', () => {
  const pushed = { ...intervals, pushedMs: 3_600_000 };
  const { delayMs, pushedDelayMs } = nextDelays(pushed, 'google', 'mail', () => 0.5);
  expect([delayMs, pushedDelayMs / 12]).toEqual([330_000, expect.closeTo(330_000, 6)]);
  // deals poll every 15 minutes normally; a pushed interval below that would poll them more, not less.
  expect(nextDelays({ ...intervals, pushedMs: 60_000 }, 'hubspot', 'deals', () => 0)).toEqual({
    delayMs: 900_000,
    pushedDelayMs: 900_000,
  });
  expect(nextDelays(intervals, 'google', 'mail', () => 0)).toEqual({
    delayMs: 300_000,
    pushedDelayMs: 300_000,
  });
});
