// npm run bench:scheduler -- [--size 100000] [--interval 60] [--seconds 120] [--seed N] [--mode all|catchup|steady]
//
// The scheduler (@crm-sync/scheduling) against the load: --size connections × 4 resources due every 5
// minutes, i.e. 4·size/300 jobs/s (1,333/s at the default size). Two phases, one temporary database, one Redis
// key prefix, both removed at the end:
//
//   catch-up   4·size sync states all due at once. Chunks of `dispatchDueSyncs` (claim, addBulk, move the due
//              time) alternate with chunks of the same number of jobs added by raw BullMQ `addBulk` (1,000 per
//              call, no Postgres: the ceiling) and by `JobProducer.enqueueBulk` (validation, no Postgres), each
//              into its own queues, so the ratio says what the claim and the update cost.
//   steady     the due times spread uniformly over one interval, scaled down by --interval (fewer rows, same
//              jobs/s), and the real `Scheduler` loop running in this process while a child process drains the
//              queues with no-op BullMQ Workers (concurrency 50), so this process's CPU is the scheduler's.
//              Lag = enqueue time − due time, per job, recorded by a statement-level trigger in the bench
//              database (the payload is ids-only, and the old due time is gone once the row is updated).
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfigOrExit, type SchedulerConfig } from '@crm-sync/config';
import { RESOURCES_BY_PROVIDER, type Provider } from '@crm-sync/core';
import { createDataSource, dropDatabase, ensureDatabase, withDatabase } from '@crm-sync/db';
import { createLogger } from '@crm-sync/observability';
import { createRedisConnection, JOB_CATALOG, JobProducer, SYNC_QUEUES } from '@crm-sync/queue';
import { dispatchDueSyncs, Scheduler, type SyncIntervals, type TickResult } from '@crm-sync/scheduling';
import { seedSyncStates } from '@crm-sync/sync-states/testing';
import { deleteUnder } from '@crm-sync/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    interval: { type: 'string', default: '60' },
    seconds: { type: 'string' },
    seed: { type: 'string', default: '20261124' },
    mode: { type: 'string', default: 'all' },
    // Internal: this file re-run as the consumer process, with the Redis URL and BullMQ prefix to drain.
    consumer: { type: 'string' },
    redis: { type: 'string' },
  },
});

// ---------------------------------------------------------------------------------------------
// Consumer side (child process): no-op Workers, so the parent's CPU figure holds the scheduler alone.

const SYNC_QUEUE_NAMES = Object.values(SYNC_QUEUES);

async function consume(redisUrl: string, prefix: string): Promise<void> {
  let processed = 0;
  const workers = SYNC_QUEUE_NAMES.map(
    (name) =>
      new Worker(
        name,
        async () => {
          processed += 1;
        },
        {
          connection: createRedisConnection({ url: redisUrl, role: 'worker' }),
          prefix,
          concurrency: 50,
          // Same retention the producer asks for; the Worker's own defaults would keep every completed job.
          removeOnComplete: { count: 1_000 },
        },
      ),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  process.send?.({ ready: true });
  await once(process, 'message');
  await Promise.all(workers.map((w) => w.close()));
  const cpu = process.cpuUsage();
  // Worker.close() leaves a connection it was given open, so exit explicitly once the result is sent.
  process.send?.({ processed, cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// Shared

const SIZE = Number(args.size);
const INTERVAL = Number(args.interval);
const SECONDS = Number(args.seconds ?? 2 * INTERVAL);
const SEED = Number(args.seed);
const MODE = args.mode;
/** The load: 4 resources per connection every 300 s, whatever --interval scales the steady phase to. */
const TARGET_RATE = (SIZE * 4) / 300;
/** Batches of `dispatchDueSyncs` per catch-up chunk; the ceilings add as many jobs between two chunks. */
const CHUNK_BATCHES = 10;
/** The raw-addBulk ceiling's call size, the one bench/README.md's reference ceiling was measured with. */
const ADD_BULK = 1_000;
/** Steady-state rows are due from this many seconds after seeding, so seeding and setup never add lag. */
const LEAD_SECONDS = 3;
/**
 * Connections cycle through this mix (the issue does not say; a Google/Microsoft-heavy fleet). Every provider
 * offers 3 resources, so the "100k × 4" (400k sync states) is seeded as 133,334 connections × 3.
 */
const PROVIDER_MIX: Provider[] = ['google', 'google', 'microsoft', 'microsoft', 'hubspot'];

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const mb = (bytes: number) => fmt(bytes / 2 ** 20, 1);
const cpuMs = () => {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
};

let peakRss = process.memoryUsage().rss;

/** Seeds `rows` sync states (rounded up to whole connections) due from `offsetSeconds`, uniformly over `spreadSeconds`. */
async function seedStates(db: DataSource, rows: number, offsetSeconds: number, spreadSeconds: number) {
  const connections = Math.ceil(rows / 3);
  await db.query(
    `INSERT INTO connections (id, tenant_id, crm_user_id, provider, provider_account_id)
     SELECT overlay(overlay(md5($1::text || ':' || i) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid, 'bench', 'user-' || i, ($3::text[])[1 + i % $4::int], 'acct-' || i
       FROM generate_series(1, $2::int) AS i`,
    [SEED, connections, PROVIDER_MIX, PROVIDER_MIX.length],
  );
  // Ids are md5 digests with the version-4 and variant nibbles set: the job schema accepts only RFC UUIDs.
  // The due time's position in the spread is a hash of seed, connection and resource: the same on every run.
  const baseMs = Date.now() + offsetSeconds * 1_000;
  const base = new Date(baseMs).toISOString();
  const seeded = await db.query<Array<{ id: string; provider: Provider }>>(
    `SELECT id, provider FROM connections WHERE tenant_id = 'bench'`,
  );
  const states = seeded.flatMap(({ id, provider }) =>
    RESOURCES_BY_PROVIDER[provider].map((resource) => {
      const position = parseInt(
        createHash('md5').update(`${SEED}${id}${resource}`).digest('hex').slice(0, 8),
        16,
      );
      return {
        connectionId: id,
        resource,
        nextSyncAt: new Date(baseMs + spreadSeconds * 1_000 * (position / 2 ** 32)),
      };
    }),
  );
  await seedSyncStates(db, states);
  await db.query('VACUUM ANALYZE connections, sync_states');
  return { connections, rows: connections * 3, base, baseMs };
}

async function redisUsedMemory(redis: Redis): Promise<number> {
  // UNLINK frees in the background; a baseline taken while that runs would be too high.
  for (let i = 0; i < 100; i++) {
    const info = await redis.info('memory');
    if (Number(/lazyfree_pending_objects:(\d+)/.exec(info)?.[1] ?? 0) === 0) {
      return Number(/used_memory:(\d+)/.exec(info)?.[1]);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Redis kept freeing for 10 s');
}

/** Bytes Redis holds for the keys under `prefix` (MEMORY USAGE, exact per key), and how many keys. */
async function memoryUnder(redis: Redis, prefix: string): Promise<{ bytes: number; keys: number }> {
  let bytes = 0;
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    for (const key of batch) bytes += (await redis.memory('USAGE', key, 'SAMPLES', '0')) ?? 0;
    keys += batch.length;
    cursor = next;
  } while (cursor !== '0');
  return { bytes, keys };
}

// ---------------------------------------------------------------------------------------------
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

async function catchup(
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
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
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

// ---------------------------------------------------------------------------------------------
// Steady state: the real Scheduler loop at 4·size/300 due jobs/s, a consumer in a child process.

async function steady(
  db: DataSource,
  redisUrl: string,
  redis: Redis,
  prefix: string,
  settings: SchedulerConfig,
  addBulkCpuPerThousand: number | undefined,
) {
  const intervals: SyncIntervals = { defaultMs: INTERVAL * 1000, jitterRatio: settings.jitterRatio };
  // A row comes back (1 + jitter/2) × --interval after it was dispatched, on average, and the next due time
  // counts from the dispatch, so the ~half-tick lag adds to every cycle too. Seeding one mean cycle's worth
  // of the load keeps the offered rate at 4·size/300 per second on every pass, not only the first.
  const meanInterval = INTERVAL * (1 + intervals.jitterRatio / 2) + settings.tickMs / 2000;
  const queuePrefix = `${prefix}steady`;
  const baseline = await redisUsedMemory(redis);

  const child = fork(__filename, ['--consumer', queuePrefix, '--redis', redisUrl], { stdio: 'inherit' });
  const exited = once(child, 'exit');
  // Also run on failure: an open BullMQ Queue would keep the process alive.
  let closeProducer = async (): Promise<void> => undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`consumer exited with ${code}`)));
    });

    // Records, per dispatched row, its due time before the UPDATE and when the UPDATE ran: just after addBulk
    // resolved, so the recorded time is the enqueue time plus the UPDATE's own few ms. One INSERT per
    // statement, in Postgres, so none of it lands on this process's CPU.
    await db.query(`CREATE UNLOGGED TABLE bench_dispatch_log (due_at timestamptz, enqueued_at timestamptz)`);
    await db.query(
      `CREATE FUNCTION bench_log_dispatch() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO bench_dispatch_log SELECT o.next_sync_at, clock_timestamp() FROM old_rows o;
         RETURN NULL;
       END $$`,
    );
    await db.query(
      `CREATE TRIGGER bench_log_dispatch AFTER UPDATE ON sync_states REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION bench_log_dispatch()`,
    );
    const seeded = await seedStates(db, Math.round(TARGET_RATE * meanInterval), LEAD_SECONDS, meanInterval);
    const startAt = seeded.baseMs;
    console.log(
      `steady seeded ${seeded.rows} sync states (${seeded.connections} connections × 3), due uniformly over ` +
        `${fmt(meanInterval, 1)} s (interval ${INTERVAL} s + jitter ${intervals.jitterRatio} + half a tick): ` +
        `${Math.round(seeded.rows / meanInterval)} jobs/s offered for ${SECONDS} s`,
    );
    if (Date.now() > startAt)
      console.log(`warning: seeding ran ${Date.now() - startAt} ms past the first due time`);

    const connection = createRedisConnection({
      url: redisUrl,
      role: 'producer',
      connectionName: 'bench-scheduler',
    });
    const producer = new JobProducer({ connection, prefix: queuePrefix });
    closeProducer = async () => {
      closeProducer = async () => undefined;
      await producer.close();
      await connection.quit();
    };
    const ticks: TickResult[] = [];
    const scheduler = new Scheduler({
      db,
      producer,
      intervals,
      batchSize: settings.batchSize,
      tickMs: settings.tickMs,
      refreshMarginMs: settings.tokenRefreshMarginMs,
      // This bench measures syncs and refreshes; audits are not part of what it claims.
      auditIntervalMs: 0,
      expiryWarnings: { rules: new Map(), leadMs: 0 },
      logger: createLogger({ name: 'bench-scheduler', level: 'warn' }),
      onTick: (result) => ticks.push(result),
    });
    const memory: number[] = [];
    await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));

    const cpuStart = cpuMs();
    const windowStart = performance.now();
    const windowStartIso = (await db.query<[{ t: string }]>(`SELECT now()::text AS t`))[0].t;
    scheduler.start();
    // used_memory over the second half of the window, when the completed-job and event retention has filled.
    const sampler = setInterval(() => {
      if (performance.now() - windowStart > (SECONDS * 1000) / 2) {
        void redis.info('memory').then((info) => memory.push(Number(/used_memory:(\d+)/.exec(info)?.[1])));
      }
    }, 2_000);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    clearInterval(sampler);
    await scheduler.stop();
    const windowMs = performance.now() - windowStart;
    const cpuUsed = cpuMs() - cpuStart;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const windowEndIso = (await db.query<[{ t: string }]>(`SELECT now()::text AS t`))[0].t;

    // "Due" is what a correct scheduler must have enqueued by the end: due at least one tick before it.
    const [stats] = await db.query<
      [
        {
          enqueued: string;
          due: string;
          dispatched: string;
          p50: number;
          p99: number;
          max: number;
          late: string;
        },
      ]
    >(
      `WITH l AS (SELECT due_at, enqueued_at, extract(epoch FROM enqueued_at - due_at) * 1000 AS lag
                    FROM bench_dispatch_log WHERE due_at >= $1::timestamptz AND due_at < $2::timestamptz)
       SELECT (SELECT count(*) FROM bench_dispatch_log
                WHERE enqueued_at >= $1::timestamptz AND enqueued_at < $2::timestamptz) AS enqueued,
              (SELECT count(*) FROM l WHERE due_at < $2::timestamptz - $3::float8 * interval '1 ms')
                + (SELECT count(*) FROM sync_states WHERE next_sync_at >= $1::timestamptz
                    AND next_sync_at < $2::timestamptz - $3::float8 * interval '1 ms') AS due,
              (SELECT count(*) FROM l WHERE due_at < $2::timestamptz - $3::float8 * interval '1 ms') AS dispatched,
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) FROM l) AS p50,
              (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) FROM l) AS p99,
              (SELECT max(lag) FROM l) AS max,
              (SELECT count(*) FROM sync_states
                WHERE next_sync_at >= $1::timestamptz AND next_sync_at < $2::timestamptz - interval '2 s') AS late`,
      [windowStartIso, windowEndIso, settings.tickMs],
    );

    // Let the consumer finish what the last tick added, then read what Redis keeps at steady state.
    await new Promise((r) => setTimeout(r, 1_000));
    const counts = (
      await Promise.all(
        SYNC_QUEUE_NAMES.map((q) =>
          producer.queue(q).getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed'),
        ),
      )
    ).map((c) => Object.values(c).reduce((s, n) => s + n, 0));
    const held = counts.reduce((s, n) => s + n, 0);
    const own = await memoryUnder(redis, queuePrefix);
    const steadyMemory = memory.sort((a, b) => a - b)[memory.length >> 1] ?? (await redisUsedMemory(redis));
    await closeProducer();
    child.send('stop');
    const [result] = (await once(child, 'message')) as [{ processed: number; cpuMs: number }];

    const enqueued = Number(stats.enqueued);
    const seconds = windowMs / 1000;
    const rate = enqueued / seconds;
    const corePct = (cpuUsed / windowMs) * 100;
    const perThousand = cpuUsed / (enqueued / 1000);
    const durations = ticks.map((t) => t.durationMs).sort((a, b) => a - b);
    const pick = (q: number) =>
      durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0;
    console.log(
      `steady ${ticks.length} ticks, duration p50 ${fmt(pick(0.5), 0)} ms p99 ${fmt(pick(0.99), 0)} ms ` +
        `max ${fmt(pick(1), 0)} ms; consumer processed ${result.processed} (cpu ${fmt(result.cpuMs / 1000, 1)} s)`,
    );
    console.log(`enqueue-per-s ${Math.round(rate)} (target >= ${Math.round(TARGET_RATE)})`);
    console.log(
      `ratio enqueued-vs-due ${fmt(Number(stats.dispatched) / Number(stats.due), 3)} (target >= 0.999; ` +
        `${stats.dispatched} of the ${stats.due} rows due by one tick before the end)`,
    );
    console.log(`lag-p50-ms ${Math.round(stats.p50)}`);
    console.log(`lag-p99-ms ${Math.round(stats.p99)} (target < 2000)`);
    console.log(
      `lag-max-ms ${Math.round(stats.max)} (${stats.late} rows due > 2 s before the end never enqueued)`,
    );
    console.log(`cpu-core-pct ${fmt(corePct, 1)} (target < 25)`);
    console.log(
      `cpu-ms-per-1000 ${fmt(perThousand, 1)}` +
        (addBulkCpuPerThousand === undefined
          ? ''
          : ` (ratio steady-vs-addbulk ${fmt(perThousand / addBulkCpuPerThousand)}: raw addBulk ` +
            `costs ${fmt(addBulkCpuPerThousand, 1)} ms per 1,000 in the catch-up phase)`),
    );
    console.log(
      `redis-mb ${mb(steadyMemory - baseline)} (used_memory over the start of the phase, median of the second ` +
        `half; shared server)`,
    );
    console.log(
      `redis-own-mb ${mb(own.bytes)} (MEMORY USAGE of ${own.keys} keys under the prefix; ${held} jobs held = ` +
        `${Math.round(own.bytes / Math.max(1, held))} bytes per held job, completed ones kept 1,000 per queue)`,
    );
    // 1% slack on the rate: rows due in the last tick of the window are enqueued after it (0.5% at 120 s).
    const ok =
      rate >= TARGET_RATE * 0.99 &&
      Number(stats.dispatched) >= 0.999 * Number(stats.due) &&
      stats.p99 < 2_000 &&
      corePct < 25 &&
      Number(stats.late) === 0;
    return {
      ok,
      text:
        `steady ${Math.round(rate)}/s, lag p99 ${Math.round(stats.p99)} ms, ${fmt(corePct, 1)}% of a core ` +
        `(${fmt(perThousand, 1)} ms per 1,000), Redis ${mb(steadyMemory - baseline)} MB`,
    };
  } finally {
    await closeProducer();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
    }
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  for (const [name, value] of Object.entries({
    size: SIZE,
    interval: INTERVAL,
    seconds: SECONDS,
    seed: SEED,
  })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  }
  if (!['all', 'catchup', 'steady'].includes(MODE)) throw new Error('--mode must be all, catchup or steady');
  // The scheduler's configuration: its batch size, tick, jitter and refresh margin are what is measured.
  const config = loadConfigOrExit('scheduler');
  const url = withDatabase(config.database.url, `crm_sync_bench_${randomBytes(4).toString('hex')}`);
  const prefix = `crm-sync-bench:${randomBytes(4).toString('hex')}:`;
  console.log(
    `seed ${SEED} size ${SIZE} (x 4 resources every 300 s = ${Math.round(TARGET_RATE)} jobs/s) interval ${INTERVAL} ` +
      `seconds ${SECONDS} mode ${MODE} batch ${config.scheduler.batchSize} tick ${config.scheduler.tickMs} ms; ` +
      `load average ${loadavg()
        .map((l) => fmt(l))
        .join(' ')} on ${availableParallelism()} cores`,
  );
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  await ensureDatabase(url);
  // Pool of 4, as the scheduler app has.
  const db = createDataSource({ url, poolSize: 4, applicationName: 'crm-sync-bench-scheduler' });
  // A plain client: the producer role refuses commands until connected, and this one is used at once.
  const redis = new Redis(config.redis.url, { connectionName: 'bench-admin' });
  const summary: string[] = [];
  let ok = true;
  try {
    await db.initialize();
    await db.runMigrations();
    let addBulkCpu: number | undefined;
    if (MODE !== 'steady') {
      const result = await catchup(db, config.redis.url, redis, prefix, config.scheduler);
      summary.push(result.text);
      ok &&= result.ok;
      addBulkCpu = result.addBulkCpuPerThousand;
      // The backlog's keys would otherwise count in the steady phase's Redis figure.
      const started = performance.now();
      const deleted = await deleteUnder(redis, prefix);
      await db.query('TRUNCATE connections CASCADE');
      console.log(`cleared ${deleted} Redis keys in ${fmt((performance.now() - started) / 1000, 1)} s`);
    }
    if (MODE !== 'catchup') {
      const result = await steady(db, config.redis.url, redis, prefix, config.scheduler, addBulkCpu);
      summary.push(result.text);
      ok &&= result.ok;
    }
    console.log(`rss-mb ${Math.round(peakRss / 2 ** 20)}`);
    console.log(
      `summary: ${SIZE} connections × 4 resources; ${summary.join('; ')}; load average ${fmt(loadavg()[0]!)}; ` +
        (ok ? 'ok' : 'BELOW TARGET'),
    );
  } finally {
    clearInterval(sampler);
    await deleteUnder(redis, prefix);
    await redis.quit();
    if (db.isInitialized) await db.destroy();
    await dropDatabase(url);
  }
}

if (args.consumer !== undefined) {
  consume(args.redis ?? '', args.consumer).catch((error: unknown) => {
    console.error(`consumer failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(`bench:scheduler failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  });
}
