import type { Provider } from '@crm-sync/core';
import type { Redis } from 'ioredis';

// INCR the window's counter and give it a lifetime on first use, atomically (a crash between the two would leave a
// counter that never expires).
const TAKE = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export interface CallBudgetOptions {
  redis: Redis;
  keyPrefix: string;
  /** Audit calls per provider per window, shared by every worker process. */
  callsPerWindow: number;
  windowMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The audits' share of each provider's quota: at most `callsPerWindow` id-pass calls per provider in each fixed
 * window, counted in Redis across processes. `take` waits for the next window when this one is spent, so an audit
 * of a big resource goes on at the budgeted pace instead of starting over (audits run on their own queue, so the
 * wait holds no sync slot).
 */
export class AuditCallBudget {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: CallBudgetOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async take(provider: Provider): Promise<void> {
    const { redis, keyPrefix, callsPerWindow, windowMs } = this.options;
    for (;;) {
      const window = Math.floor(this.now() / windowMs);
      const key = `${keyPrefix}audit-calls:${provider}:${window}`;
      const taken = Number(await redis.eval(TAKE, 1, key, String(windowMs * 2)));
      if (taken <= callsPerWindow) return;
      await this.sleep((window + 1) * windowMs - this.now());
    }
  }
}
