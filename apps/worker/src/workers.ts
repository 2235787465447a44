import type { RateLimit } from '@crm-sync/config';
import { SYNC_QUEUE_NAMES, type SyncQueueName, type WorkerQueueName } from '@crm-sync/core';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

type Processor = (job: Job, token?: string) => Promise<unknown>;

/**
 * A processor factory for each queue in `Q`: the map is typed by the queues consumed, so a consumed queue without
 * a handler does not compile (the worker app consumes any of WORKER_QUEUE_NAMES, so it must handle all of them).
 */
export type Processors<Q extends WorkerQueueName = WorkerQueueName> = { [K in Q]: () => Processor };

export interface WorkersOptions<Q extends WorkerQueueName> {
  connection: Redis;
  prefix: string;
  queues: readonly Q[];
  concurrency: number;
  /** Applied to the sync queues (one per provider); shared by every worker process through Redis. */
  limiters: Readonly<Record<SyncQueueName, RateLimit>>;
  stalledIntervalMs: number;
  lockDurationMs: number;
  processors: Processors<Q>;
}

const isSyncQueue = (queue: WorkerQueueName): queue is SyncQueueName =>
  (SYNC_QUEUE_NAMES as readonly string[]).includes(queue);

/**
 * One BullMQ Worker per consumed queue. Stalled checks hand a job whose process died (its lock expired) to
 * another worker; sync slices are idempotent, so the repeat costs at most one page.
 */
export function startWorkers<Q extends WorkerQueueName>(options: WorkersOptions<Q>): Worker[] {
  return options.queues.map((queue) => {
    const processor: () => Processor = options.processors[queue];
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
