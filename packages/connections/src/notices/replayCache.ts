import { createHash } from 'node:crypto';
import type { Provider } from '@crm-sync/core';
import type { Redis } from 'ioredis';

/**
 * Remembers each accepted delivery's replay key (a RISC `jti`, a HubSpot signature, a Graph body digest) in Redis
 * for its TTL, so the same delivery is refused the second time, across connect-api replicas. Keys are stored as
 * SHA-256 digests: a signature is no secret, but nothing a sender wrote needs to sit in Redis.
 */
export class ReplayCache {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private key(provider: Provider, replayKey: string): string {
    return `${this.keyPrefix}${provider}:${createHash('sha256').update(replayKey).digest('base64url')}`;
  }

  /** True the first time a key is seen within its TTL (SET NX, atomic), false for a replay. */
  async claim(provider: Provider, replayKey: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key(provider, replayKey), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Forgets a claim whose handling failed, so the provider's retry is accepted. */
  async release(provider: Provider, replayKey: string): Promise<void> {
    await this.redis.del(this.key(provider, replayKey));
  }
}
