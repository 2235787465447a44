/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the input order in the result. Gmail needs
 * one request per message, so a page of 500 ids is fetched in parallel, but bounded: Gmail limits concurrent requests
 * per user (429 "Too many concurrent requests for user"). After the first failure no new call starts, and that
 * failure is what the returned promise rejects with.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
