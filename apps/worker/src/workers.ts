import { SYNC_QUEUE_NAMES, type RateLimit, type SyncQueueName, type WorkerQueueName } from '@crm-sync/config';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

/** A processor per consumed queue; a typed map, so a queue without a handler is a type error. */
export type Processors = { [Q in WorkerQueueName]: () => (job: Job, token?: string) => Promise<unknown> };

export interface WorkersOptions {
  connection: Redis;
  prefix: string;
  queues: readonly WorkerQueueName[];
  concurrency: number;
  /** Applied to the sync queues (one per provider); shared by every worker process through Redis. */
  limiters: Readonly<Record<SyncQueueName, RateLimit>>;
  stalledIntervalMs: number;
  lockDurationMs: number;
  processors: Partial<Processors>;
}

const isSyncQueue = (queue: WorkerQueueName): queue is SyncQueueName =>
  (SYNC_QUEUE_NAMES as readonly string[]).includes(queue);

/**
 * One BullMQ Worker per consumed queue. Stalled checks hand a job whose process died (its lock expired) to
 * another worker; sync slices are idempotent, so the repeat costs at most one page.
 */
export function startWorkers(options: WorkersOptions): Worker[] {
  return options.queues.map((queue) => {
    const processor = options.processors[queue];
    if (!processor) throw new Error(`no processor for queue ${queue}`);
    const limit = isSyncQueue(queue) ? options.limiters[queue] : undefined;
    return new Worker(queue, processor(), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      ...(limit && { limiter: { max: limit.max, duration: limit.durationMs } }),
      stalledInterval: options.stalledIntervalMs,
      lockDuration: options.lockDurationMs,
      // A job that stalls twice (its worker killed twice) is more likely a poison job than bad luck.
      maxStalledCount: 2,
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: 5_000 },
    });
  });
}
