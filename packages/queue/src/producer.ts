import { parsePayload } from '@crm-sync/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_CATALOG, type CatalogQueue, type JobPayload } from './catalog';
import { DEFAULT_QUEUE_PREFIX } from './names';

export interface EnqueueOptions {
  /** Dedupe key: BullMQ ignores an add whose id is already waiting, delayed or active. No `:` (BullMQ 6). */
  jobId?: string;
  delayMs?: number;
}

export interface ProducerOptions {
  connection: Redis;
  prefix?: string;
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
    const spec = JOB_CATALOG[queue];
    const data = parsePayload(spec.schema, payload, `${queue} job`);
    const job = await this.queue(queue).add(jobName, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: spec.attempts,
      backoff: { type: 'exponential', delay: spec.backoffMs, jitter: 0.5 },
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: 5_000 },
    });
    if (!job.id) throw new Error(`BullMQ returned no job id for ${queue}`);
    return job.id;
  }

  queue(name: CatalogQueue): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.options.connection,
        prefix: this.options.prefix ?? DEFAULT_QUEUE_PREFIX,
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
