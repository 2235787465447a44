import { type Clock } from '../core/types';

export interface HubSpotLimits {
  /** Requests per rolling 10 s per account, search excluded (OAuth public apps: 110). */
  tenSecondly: number;
  /** Search requests per second per account (5). */
  searchPerSecond: number;
}

export const DEFAULT_LIMITS: Readonly<HubSpotLimits> = { tenSecondly: 110, searchPerSecond: 5 };

/** Sliding-log limiter: exact counts, fine for sandbox volumes. */
function createWindow(clock: Clock, max: number, intervalMs: number) {
  const log = new Map<string, number[]>();
  return (accountId: string) => {
    const now = clock.now();
    const recent = (log.get(accountId) ?? []).filter((at) => now - at < intervalMs);
    const allowed = recent.length < max;
    if (allowed) recent.push(now);
    log.set(accountId, recent);
    return { allowed, remaining: Math.max(0, max - recent.length) };
  };
}

/** The headers of the ten-secondly limit (OAuth apps get no daily ones: docs/providers/hubspot.md#rate-limits). */
export function tenSecondlyHeaders(limits: HubSpotLimits, remaining: number): Record<string, string> {
  return {
    'x-hubspot-ratelimit-max': String(limits.tenSecondly),
    'x-hubspot-ratelimit-remaining': String(remaining),
    'x-hubspot-ratelimit-interval-milliseconds': '10000',
  };
}

/** The two HubSpot limiters; only the general one reports itself in X-HubSpot-RateLimit-* headers. */
export function createLimiters(clock: Clock, limits: HubSpotLimits) {
  const general = createWindow(clock, limits.tenSecondly, 10_000);
  return {
    general(accountId: string) {
      const { allowed, remaining } = general(accountId);
      return { allowed, headers: tenSecondlyHeaders(limits, remaining) };
    },
    search: createWindow(clock, limits.searchPerSecond, 1000),
  };
}

export type Limiters = ReturnType<typeof createLimiters>;
