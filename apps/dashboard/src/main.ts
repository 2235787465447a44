// dashboard process: Bull Board for operators; configuration, wiring and lifecycle only.
import { loadConfigOrExit } from '@crm-sync/config';
import { createLogger, runProcess, type Stop } from '@crm-sync/observability';
import { createRedisConnection, JOB_CATALOG, JobProducer, type CatalogQueue } from '@crm-sync/queue';
import { buildDashboard } from './server';

async function start(): Promise<Stop> {
  const config = loadConfigOrExit('dashboard');
  const settings = config.dashboard;
  const logger = createLogger({ name: 'dashboard', level: config.logLevel });
  const redis = createRedisConnection({ url: config.redis.url, role: 'worker', connectionName: 'dashboard' });
  const producer = new JobProducer({ connection: redis, prefix: settings.queuePrefix });
  const queues = (Object.keys(JOB_CATALOG) as CatalogQueue[]).map((name) => producer.queue(name));
  const app = await buildDashboard({ queues, credentials: settings, logger });
  await app.listen({ host: settings.host, port: settings.port });
  logger.info({ queues: queues.length }, 'ready');

  return async () => {
    await app.close();
    await producer.close();
    await redis.quit();
  };
}

runProcess('dashboard', start);
