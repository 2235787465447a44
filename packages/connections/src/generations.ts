import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

// The current generation, or a fresh random one stored when the key is missing: a key lost to expiry, eviction or
// a flush comes back as a value no reader cached, so losing it can only invalidate, never revalidate.
const CURRENT = `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;

export interface ConnectionGenerationsOptions {
  redis: Redis;
  /** The worker's key prefix, shared by every process that ends connections and by connect-api. */
  keyPrefix: string;
}

/**
 * How long a generation key lives after it was set: a key per connection ever proxied would otherwise stay forever.
 * One that expired reads as a new generation, which costs its readers one Postgres read each.
 */
const GENERATION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * A per-connection generation in Redis that changes whenever what may be done with the connection changes (ended,
 * revoked, reconnected). connect-api's proxy keeps the connection's row in memory tagged with the generation it read
 * before the row (broker/connectionCache.ts) and compares it on every call, in the same Redis round trip as the
 * provider throttle, so a change made by any process is seen by the very next call without a Postgres read.
 *
 * `bump` is called inside the transaction that changes the row, after its UPDATE: a reader that sees the new
 * generation then reads the row `FOR SHARE`, which waits for that transaction, so it caches what was committed.
 *
 * Redis away must not stop a connection from ending (a revocation notice or a disconnect accepted during an outage is
 * carried out, issue 20), so a bump that fails does not fail the change. What keeps a cached copy from outliving it
 * is `epoch`: it moves whenever this process's Redis connection comes back, and the cache drops every entry read
 * under an earlier one. A process that could not write the bump could not reach Redis, and neither could a proxy
 * sharing that outage, which reads the generation on every call; only a proxy that kept Redis while the ending
 * process lost it could use its copy, for at most the cache's maximum age (docs/token-broker.md).
 */
export class ConnectionGenerations {
  private reconnects = 0;

  constructor(private readonly options: ConnectionGenerationsOptions) {
    let ready = options.redis.status === 'ready';
    options.redis.on('ready', () => {
      if (ready) this.reconnects += 1;
      ready = true;
    });
  }

  /** Moves each time this process's Redis connection is re-established after it was up. */
  get epoch(): number {
    return this.reconnects;
  }

  /** The connection's current generation (created when missing). */
  async current(connectionId: string): Promise<string> {
    return (await this.options.redis.eval(
      CURRENT,
      1,
      this.key(connectionId),
      newGeneration(),
      String(GENERATION_TTL_MS),
    )) as string;
  }

  /**
   * Moves the connection to a new generation: every cached copy of its row is stale from now on. Resolves even when
   * Redis cannot be reached (see the class comment: the epoch covers it); `false` says the write did not happen.
   */
  async bump(connectionId: string): Promise<boolean> {
    try {
      await this.options.redis.set(this.key(connectionId), newGeneration(), 'PX', GENERATION_TTL_MS);
      return true;
    } catch {
      return false;
    }
  }

  private key(connectionId: string): string {
    return `${this.options.keyPrefix}connection-generation:${connectionId}`;
  }
}

const newGeneration = () => randomBytes(12).toString('base64url');
