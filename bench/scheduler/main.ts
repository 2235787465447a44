// npm run bench:scheduler (bench/scheduler/main.ts) -- [--size 100000] [--interval 60] [--seconds 120] [--seed N] [--mode all|catchup|steady]
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
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { loadConfigOrExit } from '@crm-sync/config';
import { createDataSource, dropDatabase, ensureDatabase, withDatabase } from '@crm-sync/db';
import { deleteUnder } from '@crm-sync/testing';
import { Redis } from 'ioredis';
import { catchup } from './catchup';
import { fmt, INTERVAL, MODE, notePeakRss, peakRssBytes, SECONDS, SEED, SIZE, TARGET_RATE } from './params';
import { steady } from './steady';

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
    notePeakRss();
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
    console.log(`rss-mb ${Math.round(peakRssBytes() / 2 ** 20)}`);
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

main().catch((error: unknown) => {
  console.error(`bench:scheduler failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
