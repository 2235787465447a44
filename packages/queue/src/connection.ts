import IORedis, { type Redis } from 'ioredis';

export interface RedisConnectionOptions {
  url: string;
  /**
   * Workers block on Redis and must retry forever (BullMQ requires `maxRetriesPerRequest: null`); producers in a
   * request path should fail fast instead of hanging an HTTP request while Redis is away.
   */
  role: 'worker' | 'producer';
  connectionName?: string;
  /**
   * TLS with the server's certificate checked (config's `redis.tls`, set for `rediss://`). ioredis hands `tls` to
   * `tls.connect` (https://github.com/redis/ioredis#tls-options), whose `rejectUnauthorized` defaults to true.
   */
  tls?: { ca?: string };
}

export function createRedisConnection(options: RedisConnectionOptions): Redis {
  return new IORedis(options.url, {
    maxRetriesPerRequest: options.role === 'worker' ? null : 2,
    enableOfflineQueue: options.role === 'worker',
    connectionName: options.connectionName,
    lazyConnect: false,
    ...(options.tls ? { tls: { ...options.tls } } : {}),
  });
}
