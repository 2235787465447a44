import { fork } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { SchedulerConfig } from '@crm-sync/config';
import { createLogger } from '@crm-sync/observability';
import { createRedisConnection, JobProducer } from '@crm-sync/queue';
import { Scheduler, type SyncIntervals, type TickResult } from '@crm-sync/scheduling';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { SYNC_QUEUE_NAMES } from './consumer';
import { memoryUnder, redisUsedMemory, seedStates } from './fleet';
import { cpuMs, fmt, INTERVAL, LEAD_SECONDS, mb, notePeakRss, SECONDS, TARGET_RATE } from './params';

// Steady state: the real Scheduler loop at 4·size/300 due jobs/s, a consumer in a child process.

export async function steady(
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

  const child = fork(resolve(__dirname, 'consumer.ts'), ['--prefix', queuePrefix, '--redis', redisUrl], {
    stdio: 'inherit',
  });
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
    notePeakRss();
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
