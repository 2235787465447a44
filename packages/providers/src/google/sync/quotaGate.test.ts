import { QuotaGate, type Throttling } from './quotaGate';

/** A fake clock the gate sleeps on, so the test runs instantly and deterministically. */
function clock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
    advance: (ms: number) => (now += ms),
  };
}

const throttled = (retryAfterMs?: number): Throttling => ({ throttled: true, retryAfterMs });
class Refused extends Error {}

it('retries a throttled call after the window the burst began in, without failing', async () => {
  const c = clock();
  const gate = new QuotaGate({ windowMs: 1_000, maxWaitMs: 10_000, now: c.now, sleep: c.sleep });
  let attempts = 0;
  const result = await gate.run(
    async () => {
      attempts += 1;
      c.advance(100);
      if (attempts === 1) throw new Refused();
      return 'ok';
    },
    (e) => (e instanceof Refused ? throttled() : { throttled: false }),
  );
  expect(result).toBe('ok');
  expect(attempts).toBe(2);
  // The burst began at 0, the refusal came at 100: the retry waits for the window to end at 1,000.
  expect(c.now()).toBe(1_100);
});

it('honours a Retry-After the provider gives', async () => {
  const c = clock();
  const gate = new QuotaGate({ windowMs: 1_000, maxWaitMs: 10_000, now: c.now, sleep: c.sleep });
  let attempts = 0;
  await gate.run(
    async () => {
      if ((attempts += 1) === 1) throw new Refused();
    },
    () => throttled(3_000),
  );
  expect(c.now()).toBe(3_000);
});

it('rethrows a non-throttling failure at once and a throttling one once the wait budget is spent', async () => {
  const c = clock();
  const gate = new QuotaGate({ windowMs: 1_000, maxWaitMs: 2_500, now: c.now, sleep: c.sleep });
  await expect(
    gate.run(
      async () => Promise.reject(new Refused('boom')),
      () => ({ throttled: false }),
    ),
  ).rejects.toThrow('boom');
  await expect(
    gate.run(
      async () => Promise.reject(new Refused('quota')),
      () => throttled(),
    ),
  ).rejects.toThrow('quota');
  expect(c.now()).toBeGreaterThanOrEqual(2_500);
  expect(c.now()).toBeLessThan(4_000);
});

it('holds every concurrent call while closed, counting the pause once', async () => {
  // Real time here: concurrent sleepers share one clock, which a hand-moved clock cannot show.
  // A budget of 120 ms: five pauses of a 50 ms window would spend it and the later retries would throw.
  const gate = new QuotaGate({ windowMs: 50, maxWaitMs: 120 });
  const refusedOnce = new Set<number>();
  const results = await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      gate.run(
        async () => {
          if (!refusedOnce.has(i)) {
            refusedOnce.add(i);
            throw new Refused();
          }
          return i;
        },
        () => throttled(),
      ),
    ),
  );
  // One pause of one window for all five: each was retried and none ran out of the budget (no wall-clock
  // assertion: a loaded CI machine stretched the real pause to 569 ms).
  expect(results).toEqual([0, 1, 2, 3, 4]);
});
