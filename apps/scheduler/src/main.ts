// scheduler process: configuration, wiring and lifecycle only; the claiming logic lives in @crm-sync/scheduling.
import type { AddressInfo } from 'node:net';
import { loadConfigOrExit } from '@crm-sync/config';
import { createDataSource } from '@crm-sync/db';
import { createLogger, createMetrics, runProcess, startOpsServer, type Stop } from '@crm-sync/observability';
import { createRedisConnection, JobProducer } from '@crm-sync/queue';
import { Scheduler } from '@crm-sync/scheduling';
import { tickMetrics } from './metrics';

async function start(): Promise<Stop> {
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
    intervals: { defaultMs: settings.syncIntervalMs, jitterRatio: settings.jitterRatio },
    tickMs: settings.tickMs,
    refreshMarginMs: settings.tokenRefreshMarginMs,
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

  return async () => {
    logger.info('shutting down after the current tick');
    await scheduler.stop();
    ops.close();
    await producer.close();
    await redis.quit();
    await db.destroy();
  };
}

runProcess('scheduler', start);
