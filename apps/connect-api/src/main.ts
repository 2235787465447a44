// connect-api process: configuration, wiring and lifecycle only; behaviour lives in the packages.
import type { AddressInfo } from 'node:net';
import {
  ConnectionGenerations,
  OAuthStateStore,
  receiptKeySet,
  tokenRefreshAudit,
} from '@crm-sync/connections';
import { runProcess, startOpsServer, type Stop } from '@crm-sync/observability';
import { startRuntime } from '@crm-sync/runtime';
import { createContentKeys, CredentialStore, KeyRing } from '@crm-sync/vault';
import { adaptersFromConfig, noticeVerifiersFromConfig } from '@crm-sync/providers';
import { AccessTokens, ConnectionThrottle, DEFAULT_ACCESS_TOKEN_OPTIONS } from '@crm-sync/sync-engine';
import type { AppContext } from './context';
import { buildServer } from './server';

async function start(): Promise<Stop> {
  const runtime = await startRuntime({ app: 'connect-api', redisRole: 'producer', database: true });
  const { config, logger, metrics, db, redis, producer } = runtime;
  const providers = adaptersFromConfig(config.providers, config.connectApi.publicBaseUrl);
  const keyRing = new KeyRing(config.vault);
  const credentials = new CredentialStore({ db, keyRing });
  const ctx: AppContext = {
    deps: {
      db,
      credentials,
      // Under the one configured prefix, like the queues, so environments sharing a Redis stay apart.
      states: new OAuthStateStore(redis, { keyPrefix: `${config.queues.prefix}:oauth-state:` }),
      producer,
      // The worker's prefix: what it ends, the proxy sees at once, and the reverse (ConnectionGenerations).
      generations: new ConnectionGenerations({ redis, keyPrefix: `${config.queues.prefix}:` }),
      adapters: providers.adapters,
      content: createContentKeys({ db, keyRing, index: config.contentIndex }),
    },
    // The worker's key prefix and lock: a token the broker refreshes is single-flight with the sync's refreshes.
    tokens: new AccessTokens({
      credentials,
      redis,
      keyPrefix: `${config.queues.prefix}:`,
      refreshMarginMs: config.connectApi.tokenRefreshMarginMs,
      lockTtlMs: DEFAULT_ACCESS_TOKEN_OPTIONS.lockTtlMs,
      onRefreshed: tokenRefreshAudit(db),
    }),
    // The worker's prefix too: a provider's 429 seen by the proxy holds the sync, and the reverse.
    throttle: new ConnectionThrottle({
      redis,
      keyPrefix: `${config.queues.prefix}:`,
      calloutShare: config.connectApi.calloutShare,
      requestBudgetFactor: config.connectApi.requestBudgetFactor,
    }),
    notices: {
      verifiers: noticeVerifiersFromConfig(config.providers),
    },
    receiptKeys: await receiptKeySet(config.deletion.receiptKeys),
    logger,
    metrics,
    health: runtime.health,
    redis,
    rateLimitKeyPrefix: `${config.queues.prefix}:rate-limit:`,
    settings: config.connectApi,
  };
  const app = await buildServer(ctx);
  await app.listen({ host: config.connectApi.host, port: config.connectApi.port });
  // Metrics name routes, providers and outcomes: for operators, on a port of their own, not the public one.
  const ops = await startOpsServer({ ...config.connectApi.ops, metrics, health: runtime.health });
  logger.info(
    {
      providers: [...providers.adapters.keys()],
      mode: config.providers.endpoints.mode,
      port: (app.server.address() as AddressInfo).port,
      https: Boolean(config.connectApi.tls),
      opsPort: (ops.address() as AddressInfo).port,
    },
    'ready',
  );

  return async () => {
    logger.info('shutting down: finishing in-flight requests');
    // Close the listener first so in-flight callbacks finish with their database and Redis still open.
    await app.close();
    ops.close();
    await runtime.close();
  };
}

runProcess('connect-api', start);
