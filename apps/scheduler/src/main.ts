// scheduler process: configuration, wiring and lifecycle only; the claiming logic lives in @crm-sync/scheduling.
import type { AddressInfo } from 'node:net';
import { runProcess, startOpsServer, type Stop } from '@crm-sync/observability';
import { startRuntime } from '@crm-sync/runtime';
import { Scheduler } from '@crm-sync/scheduling';
import { tickMetrics } from './metrics';
import { startRetentionLoop } from './retentionLoop';

async function start(): Promise<Stop> {
  // A scheduler claims in batches from one loop: a few database connections are plenty.
  const runtime = await startRuntime({
    app: 'scheduler',
    redisRole: 'producer',
    database: true,
    poolSize: 4,
  });
  const { config, logger, metrics, db, producer } = runtime;
  const settings = config.scheduler;
  const scheduler = new Scheduler({
    db,
    producer,
    batchSize: settings.batchSize,
    intervals: { defaultMs: settings.syncIntervalMs, jitterRatio: settings.jitterRatio },
    tickMs: settings.tickMs,
    refreshMarginMs: settings.tokenRefreshMarginMs,
    auditIntervalMs: settings.auditIntervalMs,
    logger,
    onTick: tickMetrics(metrics),
  });
  const ops = await startOpsServer({
    ...settings.http,
    metrics,
    health: runtime.health,
  });
  scheduler.start();
  const retention = startRetentionLoop(
    {
      db,
      producer,
      purgeBatchSize: config.deletion.purgeBatchSize,
      auditRetentionMs: config.deletion.auditRetentionMs,
      resumeDeletionsAfterMs: config.deletion.resumeDeletionsAfterMs,
    },
    { intervalMs: config.deletion.retentionSweepIntervalMs, logger, metrics },
  );
  logger.info({ tickMs: settings.tickMs, opsPort: (ops.address() as AddressInfo).port }, 'ready');

  return async () => {
    logger.info('shutting down after the current tick');
    await Promise.all([scheduler.stop(), retention.stop()]);
    ops.close();
    await runtime.close();
  };
}

runProcess('scheduler', start);
