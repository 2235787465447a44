import type { SqlExecutor } from '@crm-sync/db';
import { writeAuditBatch, type AuditEntry, type TimedAuditEntry } from '../audit';

export interface AuditBufferOptions {
  db: SqlExecutor;
  /** Where a failed write is reported (pino's signature). */
  logger: { error(details: object, message: string): void };
  /** Entries wait at most this long before they are written. */
  flushMs: number;
  /** Entries per INSERT. */
  batchSize: number;
  /** Above this many unwritten entries, recording waits for the database (the proxy slows, nothing is dropped). */
  maxBuffered: number;
}

/**
 * The proxy's `proxy_call` lines, written in batches off the request path: one INSERT per `flushMs` or
 * `batchSize` entries instead of a commit per call. Each line keeps the time of its call. A failed write keeps its
 * entries and is tried again; while the buffer is full, `record` waits for a write to succeed (or fails with it),
 * so the database being slow or down slows or stops the proxy instead of losing lines. `close` writes what is
 * left (connect-api's shutdown). What a crash can lose is at most the last `flushMs` of lines.
 */
export class AuditBuffer {
  private entries: TimedAuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly options: AuditBufferOptions) {}

  async record(entry: AuditEntry): Promise<void> {
    while (this.entries.length >= this.options.maxBuffered) await this.flush();
    this.entries.push({ ...entry, at: new Date() });
    if (this.entries.length >= this.options.batchSize) this.flushLater(0);
    else this.flushLater(this.options.flushMs);
  }

  /** Writes every buffered entry (those recorded meanwhile included); rejects when a write fails. */
  flush(): Promise<void> {
    this.writing ??= this.writeAll().finally(() => (this.writing = undefined));
    return this.writing;
  }

  /** Writes what is left (a write already failing is let go first; its lines are still buffered). */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing?.catch(() => undefined);
    await this.flush();
  }

  private flushLater(ms: number): void {
    if (this.timer && ms > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => {
        // Kept for the next attempt; the message names no entry (entries hold no secret, but need not be logged).
        this.options.logger.error(
          { err: error, buffered: this.entries.length },
          'audit write failed; retrying',
        );
        this.flushLater(this.options.flushMs);
      });
    }, ms);
    this.timer.unref();
  }

  private async writeAll(): Promise<void> {
    while (this.entries.length > 0) {
      const batch = this.entries.slice(0, this.options.batchSize);
      await writeAuditBatch(this.options.db, batch);
      this.entries.splice(0, batch.length);
    }
  }
}
