// connect-api process: configuration, wiring and lifecycle only; behaviour lives in the packages.
import { loadConfigOrExit } from '@crm-sync/config';
import { OAuthStateStore } from '@crm-sync/connections';
import { createDataSource } from '@crm-sync/db';
import { createLogger, createMetrics, runProcess, type Stop } from '@crm-sync/observability';
import { createRedisConnection, JobProducer } from '@crm-sync/queue';
import { CredentialStore, KeyRing } from '@crm-sync/vault';
import { adaptersFromConfig } from '@crm-sync/providers';
import type { AppContext } from './context';
import { buildServer } from './server';

async function start(): Promise<Stop> {
  const config = loadConfigOrExit('connect-api');
  const logger = createLogger({ name: 'connect-api', level: config.logLevel });
  const db = createDataSource({
    url: config.database.url,
    poolSize: config.database.poolSize,
    applicationName: 'crm-sync-connect-api',
  });
  await db.initialize();
  const redis = createRedisConnection({
    url: config.redis.url,
    role: 'producer',
    connectionName: 'connect-api',
  });
  const producer = new JobProducer({ connection: redis });
  const providers = adaptersFromConfig(config.providers, config.connectApi.publicBaseUrl);
  const ctx: AppContext = {
    deps: {
      db,
      credentials: new CredentialStore({ db, keyRing: new KeyRing(config.vault) }),
      states: new OAuthStateStore(redis),
      producer,
      adapters: providers.adapters,
    },
    logger,
    metrics: createMetrics({ defaultLabels: { app: 'connect-api' } }),
    health: {
      postgres: async () => void (await db.query('SELECT 1')),
      redis: async () => void (await redis.ping()),
    },
    redis,
    settings: config.connectApi,
  };
  const app = await buildServer(ctx);
  await app.listen({ host: config.connectApi.host, port: config.connectApi.port });
  logger.info({ providers: [...providers.adapters.keys()], mode: config.providers.endpoints.mode }, 'ready');

  return async () => {
    logger.info('shutting down: finishing in-flight requests');
    // Close the listener first so in-flight callbacks finish with their database and Redis still open.
    await app.close();
    await producer.close();
    await redis.quit();
    await db.destroy();
    await providers.close();
  };
}

runProcess('connect-api', start);
