import type { Redis } from 'ioredis';

// Moves the key's deadline later, never earlier: a short Retry-After seen by one caller must not reopen a window
// a longer one from another caller closed. The value is the deadline (epoch ms) and the key expires with it.
const HOLD = `local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[1]) end
return 0`;

export interface ConnectionThrottleOptions {
  redis: Redis;
  /** The worker's key prefix, shared with connect-api, so both see the same deadline per connection. */
  keyPrefix: string;
}

/**
 * A provider's "slow down" for one connection, shared by the sync and the token broker's proxy
 * (docs/token-broker.md, "Shared rate-limit budget"). Whoever is throttled by the provider (a 429 with its
 * Retry-After, or the engine's own wait) records until when; the other side waits that long before calling that
 * provider for that connection, so neither spends the user's quota the provider has just said is gone.
 */
export class ConnectionThrottle {
  constructor(private readonly options: ConnectionThrottleOptions) {}

  /** Nobody calls the provider for the connection before `until` (a later deadline already held wins). */
  async hold(connectionId: string, until: Date): Promise<void> {
    await this.options.redis.eval(HOLD, 1, this.key(connectionId), String(until.getTime()));
  }

  /** Milliseconds until the provider may be called again for the connection; 0 when it may be now. */
  async waitMs(connectionId: string, now: Date): Promise<number> {
    const until = Number((await this.options.redis.get(this.key(connectionId))) ?? 0);
    return Math.max(0, until - now.getTime());
  }

  private key(connectionId: string): string {
    return `${this.options.keyPrefix}provider-throttle:${connectionId}`;
  }
}
