// scheduler process: configuration, wiring and lifecycle only; the claiming logic lives in @crm-sync/scheduling.
import type { AddressInfo } from 'node:net';
import { loadConfigOrExit } from '@crm-sync/config';
import { createDataSource } from '@crm-sync/db';
import { createLogger, createMetrics, startOpsServer } from '@crm-sync/observability';
import { createRedisConnection, JobProducer } from '@crm-sync/queue';
import { Scheduler } from '@crm-sync/scheduling';
import { tickMetrics } from './metrics';

async function main(): Promise<void> {
  const config = loadConfigOrExit('scheduler');
  const settings = config.scheduler;
  const logger = createLogger({ name: 'scheduler', level: config.logLevel });
  const db = createDataSource({
    url: config.database.url,
    poolSize: 4,
    applicationName: 'crm-sync-scheduler',
  });
  await db.initialize();
  const redis = createRedisConnection({
    url: config.redis.url,
    role: 'producer',
    connectionName: 'scheduler',
  });
  const producer = new JobProducer({ connection: redis, prefix: settings.queuePrefix });
  const metrics = createMetrics({ defaultLabels: { app: 'scheduler' } });
  const scheduler = new Scheduler({
    db,
    producer,
    batchSize: settings.batchSize,
    intervals: { defaultSeconds: settings.intervalSeconds, jitterRatio: settings.jitterRatio },
    tickMs: settings.tickMs,
    refreshMarginSeconds: settings.tokenRefreshMarginSeconds,
    logger,
    onTick: tickMetrics(metrics),
  });
  const ops = await startOpsServer({
    ...settings.http,
    metrics,
    health: {
      postgres: async () => void (await db.query('SELECT 1')),
      redis: async () => void (await redis.ping()),
    },
  });
  scheduler.start();
  logger.info({ tickMs: settings.tickMs, opsPort: (ops.address() as AddressInfo).port }, 'ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down after the current tick');
    await scheduler.stop();
    ops.close();
    await producer.close();
    await redis.quit();
    await db.destroy();
    process.exit(0);
  };
  // `on`, not `once`: Ctrl-C reaches the whole process group and `npm start` then forwards SIGTERM; a second
  // signal must not cut the graceful stop short.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `scheduler: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
