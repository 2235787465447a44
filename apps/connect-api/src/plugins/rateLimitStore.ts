import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RouteOptions } from 'fastify';
import type { Redis } from 'ioredis';

type Done = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A Redis store for @fastify/rate-limit whose counters are named by route URL and client, not by method.
 * The plugin's own RedisStore names each route's counters `<method><url>` (store/RedisStore.js `child`,
 * https://github.com/fastify/fastify-rate-limit/blob/main/store/RedisStore.js), and Fastify adds a HEAD route for
 * every GET (https://fastify.dev/docs/latest/Reference/Server/#exposeheadroutes): a client could spend the
 * GET budget and then as much again with HEAD. Here every method of a URL draws on one budget.
 */
export function urlKeyedRedisStore(redis: Redis, prefix: string): FastifyRateLimitStoreCtor {
  class UrlKeyedRedisStore implements FastifyRateLimitStore {
    // The plugin constructs the store with its options, which this store does not need.
    constructor(
      _options?: object,
      private readonly scope = '',
    ) {}

    incr(key: string, done: Done, timeWindow: number): void {
      const name = `${prefix}${this.scope}:${key}`;
      // PEXPIRE NX starts the window at the first request and never extends it (Redis 7).
      redis
        .multi()
        .incr(name)
        .pexpire(name, timeWindow, 'NX')
        .pttl(name)
        .exec()
        .then(
          (replies) => {
            const failed = replies?.find(([error]) => error)?.[0];
            if (!replies || failed) return done(failed ?? new Error('rate limit transaction aborted'));
            done(null, { current: Number(replies[0]![1]), ttl: Number(replies[2]![1]) });
          },
          (error: Error) => done(error),
        );
    }

    child(route: RouteOptions & { path: string; prefix: string }): FastifyRateLimitStore {
      // createRateLimit() passes no route: its callers name their counters through their key generator.
      return new UrlKeyedRedisStore(undefined, route.url ?? '');
    }
  }
  return UrlKeyedRedisStore;
}
