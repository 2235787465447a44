import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

// Deletes the key only if it still holds our token, so a holder whose lease ran out never frees a successor's lock.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface Lease {
  release(): Promise<void>;
}

/** A lease-based mutual exclusion over one Redis key (SET NX PX with a random token; compare-and-delete). */
export class RedisLock {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** Null when someone else holds it. */
  async tryAcquire(): Promise<Lease | null> {
    const token = randomBytes(16).toString('hex');
    const ok = await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') return null;
    return { release: async () => void (await this.redis.eval(RELEASE, 1, this.key, token)) };
  }

  async isHeld(): Promise<boolean> {
    return (await this.redis.exists(this.key)) === 1;
  }
}
