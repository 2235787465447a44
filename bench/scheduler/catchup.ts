import type { SchedulerConfig } from '@crm-sync/config';
import { RESOURCES_BY_PROVIDER } from '@crm-sync/core';
import { createRedisConnection, JOB_CATALOG, JobProducer, SYNC_QUEUES } from '@crm-sync/queue';
import { dispatchDueSyncs } from '@crm-sync/scheduling';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { SYNC_QUEUE_NAMES } from './consumer';
import { redisUsedMemory, seedStates } from './fleet';
import { ADD_BULK, CHUNK_BATCHES, cpuMs, fmt, mb, notePeakRss, SIZE } from './params';

// Catch-up: dispatchDueSyncs against raw addBulk and against JobProducer, alternating chunk by chunk.

interface Arm {
  name: string;
  /** Adds up to `max` jobs; returns how many. */
  run: (max: number) => Promise<number>;
  done: boolean;
  jobs: number;
  ms: number;
  cpuMs: number;
  /** Per-chunk rates, to see whether the claim slows down as the backlog drains. */
  rates: number[];
}

const arm = (name: string, run: Arm['run']): Arm => ({
  name,
  run,
  done: false,
  jobs: 0,
  ms: 0,
  cpuMs: 0,
  rates: [],
});

/** A valid, deterministic UUID for synthetic job n (the payload schema checks version and variant). */
const syntheticId = (n: number) => {
  const hex = n.toString(16).padStart(20, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4000-8000-${hex.slice(12)}`.padEnd(36, '0');
};
const syntheticResource = (n: number) => RESOURCES_BY_PROVIDER.google[n % 3]!;

export async function catchup(
  db: DataSource,
  redisUrl: string,
  redis: Redis,
  prefix: string,
  settings: SchedulerConfig,
) {
  const started = performance.now();
  const seeded = await seedStates(db, SIZE * 4, -300, 299);
  console.log(
    `catchup seeded ${seeded.rows} sync states (${seeded.connections} connections × 3) in ` +
      `${fmt((performance.now() - started) / 1000, 1)} s, all due within the last 5 min`,
  );
  const total = seeded.rows;
  const memoryBefore = await redisUsedMemory(redis);
  const connection = createRedisConnection({
    url: redisUrl,
    role: 'producer',
    connectionName: 'bench-catchup',
  });
  const producer = new JobProducer({ connection, prefix: `${prefix}catchup` });
  const ceilingProducer = new JobProducer({ connection, prefix: `${prefix}producer` });
  const raw = SYNC_QUEUE_NAMES.map((name) => new Queue(name, { connection, prefix: `${prefix}addbulk` }));
  // The configured interval (300 s by default), not --interval: a claimed row must not fall due again while
  // the three arms, which share the wall clock, are still draining.
  const intervals = { defaultMs: settings.syncIntervalMs, jitterRatio: settings.jitterRatio };
  const deps = { db, producer, intervals, batchSize: settings.batchSize };
  const spec = JOB_CATALOG[SYNC_QUEUES.google];

  // The ceilings add synthetic jobs shaped exactly like the scheduler's (same options, 3 queues in turn).
  let rawNext = 0;
  const rawArm = arm('addbulk', async (max) => {
    let added = 0;
    while (added < max && rawNext < total) {
      const n = Math.min(ADD_BULK, max - added, total - rawNext);
      const jobs = Array.from({ length: n }, (_, i) => {
        const data = { connectionId: syntheticId(rawNext + i), resource: syntheticResource(rawNext + i) };
        return {
          name: data.resource,
          data,
          opts: {
            deduplication: { id: `${data.connectionId}.${data.resource}` },
            attempts: spec.attempts,
            backoff: { type: 'exponential', delay: spec.backoffMs, jitter: 0.5 },
            removeOnComplete: { count: 1_000 },
            removeOnFail: { count: 5_000 },
          },
        };
      });
      await raw[((rawNext / ADD_BULK) % raw.length) | 0]!.addBulk(jobs);
      rawNext += n;
      added += n;
    }
    return added;
  });
  let producerNext = 0;
  const producerArm = arm('producer', async (max) => {
    let added = 0;
    while (added < max && producerNext < total) {
      const n = Math.min(ADD_BULK, max - added, total - producerNext);
      const queue = SYNC_QUEUE_NAMES[((producerNext / ADD_BULK) % SYNC_QUEUE_NAMES.length) | 0]!;
      await ceilingProducer.enqueueBulk(
        queue,
        Array.from({ length: n }, (_, i) => {
          const payload = {
            connectionId: syntheticId(producerNext + i),
            resource: syntheticResource(producerNext + i),
          };
          return {
            name: payload.resource,
            payload,
            options: { dedupeId: `${payload.connectionId}.${payload.resource}` },
          };
        }),
      );
      producerNext += n;
      added += n;
    }
    return added;
  });
  const catchupArm = arm(
    'catchup',
    async () => (await dispatchDueSyncs(deps, { maxBatches: CHUNK_BATCHES })).enqueued,
  );

  const arms = [catchupArm, rawArm, producerArm];
  const drain = async () => {
    const chunk = CHUNK_BATCHES * settings.batchSize;
    for (let turn = 0; arms.some((a) => !a.done); turn++) {
      for (let k = 0; k < arms.length; k++) {
        const a = arms[(turn + k) % arms.length]!;
        if (a.done) continue;
        const cpuBefore = cpuMs();
        const began = performance.now();
        const added = await a.run(chunk);
        const ms = performance.now() - began;
        a.ms += ms;
        a.cpuMs += cpuMs() - cpuBefore;
        a.jobs += added;
        if (added > 0) a.rates.push(added / (ms / 1000));
        // The claim drains when a chunk comes back short; the ceilings stop at the same job count.
        if (added < chunk || a.jobs >= total) a.done = true;
      }
      notePeakRss();
    }
    const memoryAfter = await redisUsedMemory(redis);
    const stillDue = Number(
      (
        await db.query<[{ n: string }]>(`SELECT count(*) AS n FROM sync_states WHERE next_sync_at <= now()`)
      )[0].n,
    );
    const waiting = (
      await Promise.all(SYNC_QUEUE_NAMES.map((q) => producer.queue(q).getJobCounts('waiting')))
    ).reduce((sum, c) => sum + (c.waiting ?? 0), 0);
    return { memoryAfter, stillDue, waiting };
  };
  // Closed on failure too: an open BullMQ Queue keeps the process alive and rewrites its meta key.
  const { memoryAfter, stillDue, waiting } = await drain().finally(async () => {
    await Promise.all([...raw.map((q) => q.close()), producer.close(), ceilingProducer.close()]);
    await connection.quit();
  });

  const rate = (a: Arm) => a.jobs / (a.ms / 1000);
  const perThousand = (a: Arm) => a.cpuMs / (a.jobs / 1000);
  const tenth = Math.max(1, Math.round(catchupArm.rates.length / 10));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  for (const a of [rawArm, producerArm, catchupArm]) {
    console.log(
      `${a.name} jobs/s ${Math.round(rate(a))} (${a.jobs} jobs, ${fmt(a.ms / 1000, 1)} s, ` +
        `cpu ${fmt(perThousand(a), 1)} ms per 1,000)`,
    );
  }
  console.log(
    `catchup chunk jobs/s: first 10% ${Math.round(mean(catchupArm.rates.slice(0, tenth)))}, ` +
      `last 10% ${Math.round(mean(catchupArm.rates.slice(-tenth)))}; ${waiting} waiting in its queues, ` +
      `${stillDue} rows still due`,
  );
  const jobsInRedis = rawArm.jobs + producerArm.jobs + catchupArm.jobs;
  console.log(
    `redis-backlog-bytes-per-job ${Math.round((memoryAfter - memoryBefore) / jobsInRedis)} ` +
      `(used_memory +${mb(memoryAfter - memoryBefore)} MB for ${jobsInRedis} waiting jobs with dedupe keys)`,
  );
  const catchupRate = rate(catchupArm);
  const ratio = catchupRate / rate(rawArm);
  console.log(`catchup-per-s ${Math.round(catchupRate)} (target >= 10000)`);
  // 10,000/s against the ~20,000/s addBulk ceiling bench/README.md lists.
  console.log(`ratio catchup-vs-addbulk ${fmt(ratio)} (target >= 0.50)`);
  console.log(
    `ratio catchup-vs-producer ${fmt(catchupRate / rate(producerArm))} (Postgres claim + update only)`,
  );
  console.log(`ratio producer-vs-addbulk ${fmt(rate(producerArm) / rate(rawArm))} (payload validation only)`);
  const ok = catchupRate >= 10_000 && catchupArm.jobs === total && stillDue === 0 && waiting === total;
  return {
    ok,
    text: `catch-up ${Math.round(catchupRate)}/s = ${fmt(ratio)} of addBulk ${Math.round(rate(rawArm))}/s`,
    addBulkCpuPerThousand: perThousand(rawArm),
  };
}
