import { mapBounded } from './bounded';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

test('keeps the input order and never has more than `limit` calls in flight', async () => {
  let inFlight = 0;
  let peak = 0;
  const result = await mapBounded(
    Array.from({ length: 40 }, (_, i) => i),
    7,
    async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      // Later items finish first, so order is the function's doing, not the timing's.
      await new Promise((resolve) => setTimeout(resolve, 40 - i));
      inFlight--;
      return i * 2;
    },
  );
  expect(result).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
  expect(peak).toBe(7);
});

test('rejects with the first failure and starts nothing after it', async () => {
  const started: number[] = [];
  const run = mapBounded([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2, async (i) => {
    started.push(i);
    await tick();
    if (i === 2) throw new RangeError('boom');
    return i;
  });
  await expect(run).rejects.toThrow('boom');
  await tick();
  await tick();
  // 2 failed while 3 was in flight; nothing later was started.
  expect(started).toEqual([0, 1, 2, 3]);
});

test('an empty list makes no calls', async () => {
  let calls = 0;
  await expect(mapBounded([], 25, async (i: number) => (calls++, i))).resolves.toEqual([]);
  expect(calls).toBe(0);
});
