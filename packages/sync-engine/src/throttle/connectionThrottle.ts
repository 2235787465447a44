import type { RequestBudget } from '@crm-sync/core';
import type { Redis } from 'ioredis';

// Moves the key's deadline later, never earlier: a short Retry-After seen by one caller must not reopen a window
// a longer one from another caller closed. The value is the deadline (epoch ms) and the key expires with it.
const HOLD = `local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[1]) end
return 0`;

// One side's use of the connection's request budget in the current window: refused (-1, nothing counted) once the
// side's share is spent, else counted. A hold (KEYS[1], see HOLD) refuses first and says until when. ARGV: now,
// share of the side (-1: uncapped, for requests counted after the fact), requests to count, window lifetime.
const TAKE = `local held = tonumber(redis.call('GET', KEYS[1]) or '0')
if held > tonumber(ARGV[1]) then return held end
local cap = tonumber(ARGV[2])
if cap >= 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= cap then return -1 end
if redis.call('INCRBY', KEYS[2], ARGV[3]) == tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
return 0`;

// Gives one request back to a window that still exists (a window gone is not created again, without an expiry).
const REFUND = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Who spends a connection's requests: its sync, or the token broker's proxy (CRM callouts). */
export type BudgetSide = 'sync' | 'callout';

/** Whether a side may call the provider for a connection now, and if not, why and for how long. */
export type Admission =
  | { kind: 'go' }
  /** The provider throttled the connection (a 429 seen by either side) until then. */
  | { kind: 'held'; waitMs: number }
  /** This side's share of the window is spent; the next window starts after `waitMs`. */
  | { kind: 'spent'; waitMs: number };

export interface ConnectionThrottleOptions {
  redis: Redis;
  /** The worker's key prefix, shared with connect-api, so both see the same deadline per connection. */
  keyPrefix: string;
  /**
   * The fraction of each connection's request budget kept for callouts through the proxy (the sync may use the
   * rest, callouts no more than this), so neither side can spend the other's share.
   */
  calloutShare: number;
  /** Multiplies every budget: 1 against the real providers (PROVIDER_REQUEST_BUDGET_FACTOR). */
  requestBudgetFactor: number;
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

  /**
   * Counts one request of `side` against the connection's budget at its provider, if the provider is not holding
   * the connection and the side's share of the current window is not spent; otherwise counts nothing and says how
   * long to wait. One Redis round trip.
   */
  async admit(connectionId: string, side: BudgetSide, budget: RequestBudget, now: Date): Promise<Admission> {
    const at = now.getTime();
    const window = Math.floor(at / budget.windowMs);
    const answer = Number(
      await this.options.redis.eval(
        TAKE,
        2,
        this.key(connectionId),
        this.budgetKey(connectionId, side, window),
        String(at),
        String(this.share(side, budget)),
        '1',
        String(budget.windowMs * 2),
      ),
    );
    if (answer === 0) return { kind: 'go' };
    if (answer > 0) return { kind: 'held', waitMs: answer - at };
    return { kind: 'spent', waitMs: (window + 1) * budget.windowMs - at };
  }

  /** Counts requests `side` made beyond the one `admit` counted (a sync page that made several). */
  async spend(
    connectionId: string,
    side: BudgetSide,
    budget: RequestBudget,
    requests: number,
    now: Date,
  ): Promise<void> {
    if (requests <= 0) return;
    const window = Math.floor(now.getTime() / budget.windowMs);
    await this.options.redis.eval(
      TAKE,
      2,
      this.key(connectionId),
      this.budgetKey(connectionId, side, window),
      // Counted whatever the hold says: these requests were made already.
      String(Number.MAX_SAFE_INTEGER),
      '-1',
      String(requests),
      String(budget.windowMs * 2),
    );
  }

  /** Gives back one request `admit` counted at `now` that was not made after all (the caller was refused first). */
  async refund(connectionId: string, side: BudgetSide, budget: RequestBudget, now: Date): Promise<void> {
    const window = Math.floor(now.getTime() / budget.windowMs);
    await this.options.redis.eval(REFUND, 1, this.budgetKey(connectionId, side, window));
  }

  /** Requests `side` may make in one window: the callouts' kept share (at least one), the sync the rest. */
  share(side: BudgetSide, budget: RequestBudget): number {
    const requests = Math.floor(budget.requests * this.options.requestBudgetFactor);
    const callouts = Math.max(1, Math.floor(requests * this.options.calloutShare));
    return side === 'callout' ? callouts : Math.max(0, requests - callouts);
  }

  private key(connectionId: string): string {
    return `${this.options.keyPrefix}provider-throttle:${connectionId}`;
  }

  private budgetKey(connectionId: string, side: BudgetSide, window: number): string {
    return `${this.options.keyPrefix}provider-budget:${connectionId}:${side}:${window}`;
  }
}
