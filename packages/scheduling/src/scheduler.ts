import type { Logger } from '@crm-sync/observability';
import type { Provider, RefreshTokenExpiry } from '@crm-sync/core';
import { dispatchDueAudits } from './dispatchAudits';
import { dispatchExpiryWarnings } from './dispatchExpiryWarnings';
import { dispatchDueSyncs, type DispatchDeps } from './dispatchSyncs';
import { dispatchTokenRefreshes } from './dispatchRefreshes';

export interface SchedulerOptions extends DispatchDeps {
  tickMs: number;
  refreshMarginMs: number;
  /** Completeness audit interval per resource; 0: no audits. */
  auditIntervalMs: number;
  /**
   * Warnings before predictable refresh-token expiry: each provider's documented rule and the lead time (0: off).
   * Checked at most once a minute, since the dates it finds move by days, not seconds.
   */
  expiryWarnings: { rules: ReadonlyMap<Provider, RefreshTokenExpiry>; leadMs: number };
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Called after each tick with what it did (metrics). */
  onTick?: (result: TickResult) => void;
}

export interface TickResult {
  syncsEnqueued: number;
  refreshesEnqueued: number;
  auditsEnqueued: number;
  expiryWarnings: number;
  durationMs: number;
}

const EXPIRY_CHECK_EVERY_MS = 60_000;

/**
 * The scheduler loop: every tick, enqueue due syncs, due token refreshes and due completeness audits. Several schedulers may run at once
 * (SKIP LOCKED splits the rows, dedupe keys drop repeats). A failing tick is logged and the next one retries;
 * Postgres stays the record of what is due, so nothing is lost while Redis or a scheduler is down.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private expiryCheckedAt = -Infinity;

  constructor(private readonly options: SchedulerOptions) {}

  async tick(): Promise<TickResult> {
    const started = performance.now();
    const syncs = await dispatchDueSyncs(this.options);
    const refreshes = await dispatchTokenRefreshes({
      ...this.options,
      marginMs: this.options.refreshMarginMs,
    });
    const { auditIntervalMs } = this.options;
    const audits =
      auditIntervalMs > 0
        ? await dispatchDueAudits({
            ...this.options,
            auditIntervalMs,
            jitterRatio: this.options.intervals.jitterRatio,
          })
        : { enqueued: 0 };
    const result = {
      syncsEnqueued: syncs.enqueued,
      refreshesEnqueued: refreshes.enqueued,
      auditsEnqueued: audits.enqueued,
      expiryWarnings: (await this.warnOfExpiry()).warned,
      durationMs: performance.now() - started,
    };
    this.options.onTick?.(result);
    return result;
  }

  private async warnOfExpiry(): Promise<{ warned: number }> {
    const { rules, leadMs } = this.options.expiryWarnings;
    if (leadMs === 0 || rules.size === 0 || performance.now() - this.expiryCheckedAt < EXPIRY_CHECK_EVERY_MS)
      return { warned: 0 };
    const result = await dispatchExpiryWarnings({ ...this.options, rules, leadMs });
    this.expiryCheckedAt = performance.now();
    return result;
  }

  start(): void {
    this.stopped = false;
    const loop = () => {
      this.running = this.tick()
        .then((result) => {
          if (result.syncsEnqueued + result.refreshesEnqueued + result.auditsEnqueued > 0)
            this.options.logger.debug(result, 'tick');
        })
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'scheduler tick failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.tickMs);
        });
    };
    loop();
  }

  /** Stops after the tick in progress, if any, has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
