import type { Redis } from 'ioredis';

const WINDOW_MS = 60_000;

/**
 * Failed logins per client, counted in Redis (so across dashboard replicas) in fixed one-minute windows. Once a
 * client has failed `perMinute` times it is refused until its window ends, right credentials included: otherwise
 * guessing would go on at full speed and only the right guess would get through.
 */
export function loginThrottle(redis: Redis, keyPrefix: string, perMinute: number) {
  const key = (client: string) => `${keyPrefix}login-failures:${client}`;
  return {
    /** Seconds until the client may try again, or 0 when it may try now. */
    async blockedFor(client: string): Promise<number> {
      const [failures, ttlMs] = await Promise.all([redis.get(key(client)), redis.pttl(key(client))]);
      return Number(failures ?? 0) >= perMinute ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0;
    },
    async recordFailure(client: string): Promise<void> {
      // PEXPIRE NX starts the window at the first failure and never extends it (Redis 7).
      await redis.multi().incr(key(client)).pexpire(key(client), WINDOW_MS, 'NX').exec();
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
