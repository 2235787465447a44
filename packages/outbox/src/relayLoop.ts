import { relayOutbox, type RelayDeps, type RelayResult } from './relay';

export interface RelayLoopOptions extends RelayDeps {
  /** Pause between passes when the outbox was drained. */
  pollMs: number;
  /** Longest pause after failed passes (Redis or Postgres away); it doubles from `pollMs` up to this. */
  maxBackoffMs: number;
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Called after every successful pass (metrics). */
  onPass?: (result: RelayResult) => void;
}

/**
 * Runs `relayOutbox` until stopped: at once again while full batches come back, every `pollMs` when drained,
 * backing off while a pass fails. A failed pass loses nothing (its rows stay in Postgres), so it is logged, not
 * thrown.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;

  constructor(private readonly options: RelayLoopOptions) {}

  start(): void {
    this.stopped = false;
    const loop = () => {
      this.running = this.pass().then((delayMs) => {
        if (!this.stopped) this.timer = setTimeout(loop, delayMs);
      });
    };
    loop();
  }

  /** Stops after the pass in progress, if any, has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass; returns how long to wait before the next. */
  private async pass(): Promise<number> {
    const { pollMs, maxBackoffMs, batchSize, logger } = this.options;
    try {
      const result = await relayOutbox(this.options);
      this.failures = 0;
      this.options.onPass?.(result);
      if (result.parked > 0)
        logger.error({ parked: result.parked }, 'outbox rows refused by their queue schema');
      return result.relayed + result.parked >= batchSize ? 0 : pollMs;
    } catch (error) {
      this.failures += 1;
      const delayMs = Math.min(maxBackoffMs, pollMs * 2 ** this.failures);
      logger.warn({ err: error, failures: this.failures, retryInMs: delayMs }, 'outbox relay pass failed');
      return delayMs;
    }
  }
}
