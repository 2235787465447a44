// worker process: configuration, wiring and lifecycle only; behaviour lives in the packages and processor.ts.
import type { AddressInfo } from 'node:net';
import { runProcess, startOpsServer, type Stop } from '@crm-sync/observability';
import {
  ConnectionGenerations,
  connectionOutcomes,
  handleConnectionEvent,
  shredDataKeys,
  tokenRefreshAudit,
} from '@crm-sync/connections';
import { startRuntime } from '@crm-sync/runtime';
import {
  AccessTokens,
  ConnectionThrottle,
  AuditCallBudget,
  DEFAULT_ACCESS_TOKEN_OPTIONS,
  refreshConnectionToken,
  runAudit,
  runSlice,
  type SyncEngineDeps,
} from '@crm-sync/sync-engine';
import { createContentKeys, CredentialStore, KeyRing } from '@crm-sync/vault';
import { adaptersFromConfig } from '@crm-sync/providers';
import { handleWriteEvent } from '@crm-sync/writes';
import { createAuditProcessor } from './auditProcessor';
import { createConnectionEventsProcessor } from './connectionEventsProcessor';
import { writeDeps } from './writeDeps';
import { createSyncProcessor, type SyncQueue } from './processor';
import { createTokenRefreshProcessor } from './tokenRefreshProcessor';
import { startPushLoop } from './pushLoop';
import { startWorkers } from './workers';

async function start(): Promise<Stop> {
  const runtime = await startRuntime({ app: 'worker', redisRole: 'worker', database: true });
  const { config, logger, metrics, db, producer, redis } = runtime;
  const { worker: settings } = config;
  // BullMQ's workers block on their connection; engine commands (locks) use the runtime's.
  const bullRedis = runtime.redisConnection('worker-bullmq', 'worker');
  const keyRing = new KeyRing(config.vault);
  const credentials = new CredentialStore({ db, keyRing });
  const content = createContentKeys({ db, keyRing, index: config.contentIndex });
  const providers = adaptersFromConfig(config.providers, config.connectApi.publicBaseUrl);
  // connect-api's proxy reads these under the same prefix: an ending here refuses its very next call.
  const generations = new ConnectionGenerations({ redis, keyPrefix: `${config.queues.prefix}:` });
  const deps: SyncEngineDeps = {
    db,
    adapters: providers.adapters,
    tokens: new AccessTokens({
      credentials,
      redis,
      keyPrefix: `${config.queues.prefix}:`,
      refreshMarginMs: settings.tokenRefreshMarginMs,
      lockTtlMs: DEFAULT_ACCESS_TOKEN_OPTIONS.lockTtlMs,
      onRefreshed: tokenRefreshAudit(db),
    }),
    // The prefix connect-api's proxy uses too: a provider's 429 seen by either side holds both.
    throttle: new ConnectionThrottle({
      redis,
      keyPrefix: `${config.queues.prefix}:`,
      calloutShare: settings.calloutShare,
      requestBudgetFactor: settings.requestBudgetFactor,
    }),
    outcomes: connectionOutcomes({ db, credentials, generations }),
    content,
    options: {
      incrementalIntervalMs: settings.incrementalIntervalMs,
      pushedIntervalMs: settings.pushedIntervalMs,
      intervalJitterRatio: settings.intervalJitterRatio,
      initialWindowDays: settings.initialWindowDays,
      backoffBaseMs: settings.backoffBaseMs,
      backoffMaxMs: settings.backoffMaxMs,
    },
  };
  const sync = (queue: SyncQueue) => () =>
    createSyncProcessor({
      queue,
      sliceMs: settings.sliceMs,
      stuckAfterMs: settings.stuckAfterMs,
      runSlice: (r) => runSlice(deps, r),
      logger,
      metrics,
    });
  const auditBudget = new AuditCallBudget({
    redis,
    keyPrefix: `${config.queues.prefix}:`,
    callsPerWindow: settings.audit.callsPerMinute,
    windowMs: 60_000,
  });
  const eventDeps = {
    db,
    adapters: providers.adapters,
    credentials,
    generations,
    producer,
    // The scheduler's interval and jitter, so an event-triggered sync leaves the same next due time.
    intervals: {
      defaultMs: config.scheduler.syncIntervalMs,
      jitterRatio: config.scheduler.jitterRatio,
      pushedMs: config.scheduler.pushedIntervalMs,
    },
    batchSize: config.scheduler.batchSize,
    // Deletion requests (docs/deletion.md): receipts are signed with the active key and name connect-api's origin.
    signing: { issuer: config.connectApi.publicBaseUrl, ...config.deletion.receiptKeys },
    purgeBatchSize: config.deletion.purgeBatchSize,
    // Crypto-shredding first (docs/deletion.md step 2): the data keys go before the rows.
    shred: shredDataKeys(content.dataKeys),
  };
  const workers = startWorkers({
    ...settings,
    connection: bullRedis,
    prefix: config.queues.prefix,
    processors: {
      'sync-google': sync('sync-google'),
      'sync-microsoft': sync('sync-microsoft'),
      'sync-hubspot': sync('sync-hubspot'),
      'token-refresh': () =>
        createTokenRefreshProcessor({ refresh: (id) => refreshConnectionToken(deps, id), logger, metrics }),
      'connection-events': () =>
        createConnectionEventsProcessor({
          handle: (event) => handleConnectionEvent(eventDeps, event),
          handleWrite: (event, options) => handleWriteEvent(writeDeps(deps), event, options),
          logger,
        }),
      audit: () =>
        createAuditProcessor({
          runAudit: (r) => runAudit(deps, r),
          maxCallsPerRun: settings.audit.maxCallsPerRun,
          throttle: (provider) => auditBudget.take(provider),
          logger,
          metrics,
        }),
    },
  });
  // Push channels (issue 25, docs/push.md): their notices reach connect-api under its public URL.
  const publicBase = config.connectApi.publicBaseUrl.replace(/\/+$/, '');
  const push =
    settings.push.intervalMs > 0
      ? startPushLoop(
          {
            db,
            adapters: providers.adapters,
            accessToken: (connectionId, adapter) => deps.tokens.get(connectionId, adapter.oauth),
            receivers: (provider) => ({
              notificationUrl: `${publicBase}/v1/webhooks/${provider}/notifications`,
              lifecycleUrl: `${publicBase}/v1/webhooks/${provider}/lifecycle`,
            }),
            options: settings.push,
          },
          settings.push.intervalMs,
          logger,
        )
      : undefined;
  for (const w of workers)
    w.on('error', (error) => logger.error({ queue: w.name, err: error }, 'worker error'));
  const ops = await startOpsServer({
    ...settings.http,
    metrics,
    health: runtime.health,
  });
  logger.info(
    {
      queues: settings.queues,
      concurrency: settings.concurrency,
      providers: [...providers.adapters.keys()],
      // The bound port, which differs from the configured one when that is 0 (tests).
      opsPort: (ops.address() as AddressInfo).port,
    },
    'ready',
  );

  return async () => {
    logger.info('shutting down: finishing the slices in flight');
    // Worker.close() stops fetching and waits for active jobs; slices are budget-bounded, so this is short.
    await Promise.all([...workers.map((w) => w.close()), push?.stop()]);
    ops.close();
    await runtime.close();
    logger.info('stopped');
  };
}

runProcess('worker', start);
