import { parsePayload } from '@crm-sync/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { JOB_CATALOG, type CatalogQueue, type JobPayload } from './catalog';

export interface EnqueueOptions {
  /** A unique id (e.g. an event id): BullMQ ignores an add whose id exists in any state. No `:` (BullMQ 6). */
  jobId?: string;
  /**
   * At most one unfinished job per key: an add is ignored while a job with this key is waiting, delayed or
   * active, and allowed again once it completed or failed. Unlike a reused job id, a failed job kept for
   * operators to inspect does not block the next scheduled run.
   */
  dedupeId?: string;
  delayMs?: number;
}

/** Queues whose payloads are events: they carry an id and the time they happened. */
type EventQueue = 'connection-events' | 'crm-notifications';
type WithoutIds<T> = T extends unknown ? Omit<T, 'eventId' | 'occurredAt'> : never;
/** An event as its sender writes it; `publish` adds the id and timestamp. */
export type EventFields<Q extends EventQueue> = WithoutIds<JobPayload<Q>> & { type: string };

export interface ProducerOptions {
  connection: Redis;
  /** BullMQ key prefix; every process passes the configured one (`WORKER_QUEUE_PREFIX`), there is no default. */
  prefix: string;
  /**
   * BullMQ waits for Redis to become ready before adding, indefinitely. A producer in a request path or a
   * scheduler tick must fail instead, so the caller can answer or retry; default 5 s.
   */
  timeoutMs?: number;
}

/**
 * Redis did not accept the jobs (it refused, or did not answer in time): nothing can be assumed added (dedupe keys
 * make a retry safe). Callers answer it as "try again later", never as success.
 */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
}

/** Adds validated jobs to the catalog's queues; one BullMQ Queue object per queue name, created on first use. */
export class JobProducer {
  private readonly queues = new Map<CatalogQueue, Queue>();

  constructor(private readonly options: ProducerOptions) {}

  async enqueue<Q extends CatalogQueue>(
    queue: Q,
    jobName: string,
    payload: JobPayload<Q>,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const [id] = await this.enqueueBulk(queue, [{ name: jobName, payload, options }]);
    return id!;
  }

  /**
   * Adds many jobs in one round trip (the scheduler's path). Every payload is validated before anything is
   * added, so one bad payload adds nothing.
   */
  async enqueueBulk<Q extends CatalogQueue>(
    queue: Q,
    jobs: ReadonlyArray<{ name: string; payload: JobPayload<Q>; options?: EnqueueOptions }>,
  ): Promise<string[]> {
    if (jobs.length === 0) return [];
    const spec = JOB_CATALOG[queue];
    const prepared = jobs.map((job) => ({
      name: job.name,
      data: parsePayload(spec.schema, job.payload, `${queue} job`),
      opts: {
        jobId: job.options?.jobId,
        ...(job.options?.dedupeId && { deduplication: { id: job.options.dedupeId } }),
        delay: job.options?.delayMs,
        attempts: spec.attempts,
        backoff: { type: 'exponential', delay: spec.backoffMs, jitter: 0.5 },
        removeOnComplete: { count: 1_000 },
        removeOnFail: { count: 5_000 },
      },
    }));
    const added = await withTimeout(
      this.queue(queue).addBulk(prepared),
      this.options.timeoutMs ?? 5_000,
      `Redis did not accept ${prepared.length} ${queue} job(s) in time`,
    ).catch((error: unknown) => {
      if (error instanceof QueueUnavailableError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new QueueUnavailableError(`Redis refused ${prepared.length} ${queue} job(s): ${reason}`);
    });
    return added.map((job, i) => {
      if (!job.id) throw new Error(`BullMQ returned no job id for ${queue} job ${i}`);
      return job.id;
    });
  }

  /**
   * Sends an event (connection events in, CRM notifications out): gives it a fresh id, which is also the job
   * id, so a retried publish of the same event object cannot be added twice, and stamps when it happened.
   */
  async publish<Q extends EventQueue>(
    queue: Q,
    event: EventFields<Q>,
    occurredAt: Date = new Date(),
  ): Promise<string> {
    const eventId = randomUUID();
    const payload = { ...event, eventId, occurredAt: occurredAt.toISOString() } as JobPayload<Q>;
    await this.enqueue(queue, event.type, payload, { jobId: eventId });
    return eventId;
  }

  queue(name: CatalogQueue): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.options.connection,
        prefix: this.options.prefix,
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
