// scheduler process: configuration, wiring and lifecycle only; the claiming logic lives in @crm-sync/scheduling.
import type { AddressInfo } from 'node:net';
import { runProcess, startOpsServer, type Stop } from '@crm-sync/observability';
import { OutboxRelay } from '@crm-sync/outbox';
import { startRuntime } from '@crm-sync/runtime';
import type { Provider, RefreshTokenExpiry } from '@crm-sync/core';
import { adaptersFromConfig } from '@crm-sync/providers';
import { Scheduler } from '@crm-sync/scheduling';
import { connectionCounts } from '@crm-sync/connections';
import { QUEUE_NAMES } from '@crm-sync/core';
import { queueStatsReader } from '@crm-sync/queue';
import { syncStates } from '@crm-sync/sync-states';
import { FRESHNESS_BUCKETS, fleetMetrics, outboxMetrics, tickMetrics } from './metrics';
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
  // Only the adapters' documented refresh-token lifetimes are used here (expiry warnings); nothing is called.
  const providers = adaptersFromConfig(config.providers, config.connectApi.publicBaseUrl);
  const expiryRules = new Map<Provider, RefreshTokenExpiry>();
  for (const [id, adapter] of providers.adapters) {
    if (adapter.oauth.refreshTokenExpiry) expiryRules.set(id, adapter.oauth.refreshTokenExpiry);
  }
  const scheduler = new Scheduler({
    db,
    producer,
    batchSize: settings.batchSize,
    intervals: {
      defaultMs: settings.syncIntervalMs,
      jitterRatio: settings.jitterRatio,
      pushedMs: settings.pushedIntervalMs,
    },
    tickMs: settings.tickMs,
    refreshMarginMs: settings.tokenRefreshMarginMs,
    auditIntervalMs: settings.auditIntervalMs,
    expiryWarnings: { rules: expiryRules, leadMs: settings.expiryWarningLeadMs },
    logger,
    onTick: tickMetrics(metrics),
  });
  // The outbox relay runs beside the claiming loop: several schedulers may run both (SKIP LOCKED splits the rows).
  const outboxFigures = outboxMetrics(metrics, db);
  const relay = new OutboxRelay({ db, producer, ...settings.outbox, logger, onPass: outboxFigures.onPass });
  const refreshFigures = () =>
    outboxFigures
      .refresh()
      .catch((error: unknown) => logger.warn({ err: error }, 'outbox figures unavailable'));
  const figuresTimer = setInterval(refreshFigures, Math.max(settings.tickMs, 1_000));
  // Fleet figures scan sync_states and every queue: on their own, slower timer.
  const queueStats = queueStatsReader(runtime.redis, config.queues.prefix, Object.values(QUEUE_NAMES));
  const fleet = fleetMetrics(metrics, {
    queues: () => queueStats.read(),
    connections: () => connectionCounts(db),
    freshness: () => syncStates.freshness(db, FRESHNESS_BUCKETS),
  });
  const refreshFleet = () =>
    fleet.refresh().catch((error: unknown) => logger.warn({ err: error }, 'fleet figures unavailable'));
  const fleetTimer = setInterval(refreshFleet, settings.fleetMetricsMs);
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
  relay.start();
  void refreshFigures();
  void refreshFleet();
  logger.info({ tickMs: settings.tickMs, opsPort: (ops.address() as AddressInfo).port }, 'ready');

  return async () => {
    logger.info('shutting down after the current tick');
    clearInterval(figuresTimer);
    clearInterval(fleetTimer);
    await Promise.all([scheduler.stop(), retention.stop(), relay.stop()]);
    ops.close();
    await queueStats.close();
    await runtime.close();
  };
}

runProcess('scheduler', start);
