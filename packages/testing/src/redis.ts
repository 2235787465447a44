import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { loadConfig } from '@crm-sync/config';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  /** `crm-sync-test:<random>:`; put every key (and BullMQ's `prefix`) under it. */
  prefix: string;
  /** Connected. `cleanup()` quits it. */
  redis: Redis;
  /** Deletes every key under the prefix, then closes the client. */
  cleanup(): Promise<void>;
}

export interface TestRedisOptions {
  /** Defaults to REDIS_URL through @crm-sync/config. */
  url?: string;
}

const SCAN_BATCH = 500;

/** A Redis client and a key prefix no other test file shares, so files can run side by side. */
export async function createTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const url = options.url ?? loadConfig().redis.url;
  const prefix = `crm-sync-test:${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const cleanup = async () => {
    await deleteUnder(redis, prefix);
    // quit() resolves on the server's OK, before the socket closes; wait so Jest sees no open handle.
    const ended = once(redis, 'end');
    await redis.quit();
    await ended;
  };
  return { url, prefix, redis, cleanup };
}

/** Deletes every key starting with `prefix`; returns how many. */
// SCAN, not KEYS: KEYS blocks the server for the whole keyspace, which other test files share.
export async function deleteUnder(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
