import type { RateLimit } from '@crm-sync/config';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SyncJobResult, SyncQueue } from './processor';

export interface SyncWorkersOptions {
  connection: Redis;
  prefix: string;
  queues: readonly SyncQueue[];
  concurrency: number;
  limiters: Readonly<Record<SyncQueue, RateLimit>>;
  stalledIntervalMs: number;
  lockDurationMs: number;
  processorFor: (queue: SyncQueue) => (job: Job, token?: string) => Promise<SyncJobResult>;
}

/**
 * One BullMQ Worker per consumed queue. The limiter is per queue (hence per provider) and shared by every
 * worker process through Redis. Stalled checks hand a job whose process died (its lock expired) to another
 * worker; the slice is idempotent, so the repeat costs at most one page.
 */
export function startSyncWorkers(options: SyncWorkersOptions): Worker[] {
  return options.queues.map(
    (queue) =>
      new Worker(queue, options.processorFor(queue), {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        limiter: { max: options.limiters[queue].max, duration: options.limiters[queue].durationMs },
        stalledInterval: options.stalledIntervalMs,
        lockDuration: options.lockDurationMs,
        // A slice that stalls twice (its worker killed twice) is more likely a poison job than bad luck.
        maxStalledCount: 2,
        removeOnComplete: { count: 1_000 },
        removeOnFail: { count: 5_000 },
      }),
  );
}
