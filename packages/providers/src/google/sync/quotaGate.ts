export interface QuotaGateOptions {
  /**
   * Gmail's per-user quota is metered over a short window. After a refusal without a Retry-After, the gate holds
   * every call until one window after the current burst began, so the next burst starts in a fresh window.
   */
  windowMs: number;
  /** How long one page may wait on the quota in all; past it the refusal is thrown (the engine delays the job). */
  maxWaitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What a failed call says about throttling: not throttled, or throttled with an optional Retry-After. */
export type Throttling = { throttled: false } | { throttled: true; retryAfterMs: number | undefined };

/**
 * Shares the per-user quota between the concurrent calls of one page. A throttled call waits and is retried instead
 * of failing the page: one refused get out of 500 would otherwise throw away the 499 already fetched, and retrying
 * the page would spend the quota on them again, so under an enforced quota no page would ever land.
 */
export class QuotaGate {
  private pausedUntil = 0;
  private burstStartedAt: number | undefined;
  private waitedMs = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: QuotaGateOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Runs `call`, retrying it once the gate reopens for as long as it is throttled and the wait budget lasts. */
  async run<T>(call: () => Promise<T>, throttling: (error: unknown) => Throttling): Promise<T> {
    for (;;) {
      await this.waitUntilOpen();
      this.burstStartedAt ??= this.now();
      try {
        return await call();
      } catch (error) {
        const verdict = throttling(error);
        if (!verdict.throttled || this.waitedMs >= this.options.maxWaitMs) throw error;
        this.close(verdict.retryAfterMs);
      }
    }
  }

  private close(retryAfterMs: number | undefined): void {
    const now = this.now();
    const windowEnd = (this.burstStartedAt ?? now) + this.options.windowMs;
    const reopenAt = Math.max(now + 10, retryAfterMs === undefined ? windowEnd : now + retryAfterMs);
    const extension = reopenAt - Math.max(now, this.pausedUntil);
    if (extension <= 0) return;
    this.waitedMs += extension;
    this.pausedUntil = reopenAt;
    this.burstStartedAt = undefined;
  }

  private async waitUntilOpen(): Promise<void> {
    const wait = this.pausedUntil - this.now();
    if (wait > 0) await this.sleep(wait);
  }
}
