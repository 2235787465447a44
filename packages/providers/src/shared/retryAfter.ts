/**
 * Reads a `Retry-After` value (delta seconds or an HTTP date, RFC 9110 §10.2.3) as milliseconds from `now`.
 * Undefined when absent or unreadable, so the caller falls back to the provider's documented default.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** A ProviderApi's `retryAfterMs`: the answer's Retry-After, else the provider's default wait. */
export const retryAfterOr =
  (defaultMs: number) =>
  (headers: Headers): number =>
    parseRetryAfter(headers.get('retry-after')) ?? defaultMs;
