// dashboard process: Bull Board for operators; configuration, wiring and lifecycle only.
import { loadConfigOrExit } from '@crm-sync/config';
import { createLogger } from '@crm-sync/observability';
import { createRedisConnection, JOB_CATALOG, JobProducer, type CatalogQueue } from '@crm-sync/queue';
import { buildDashboard } from './server';

async function main(): Promise<void> {
  const config = loadConfigOrExit('dashboard');
  const settings = config.dashboard;
  const logger = createLogger({ name: 'dashboard', level: config.logLevel });
  const redis = createRedisConnection({ url: config.redis.url, role: 'worker', connectionName: 'dashboard' });
  const producer = new JobProducer({ connection: redis, prefix: settings.queuePrefix });
  const queues = (Object.keys(JOB_CATALOG) as CatalogQueue[]).map((name) => producer.queue(name));
  const app = await buildDashboard({ queues, credentials: settings, logger });
  await app.listen({ host: settings.host, port: settings.port });
  logger.info({ queues: queues.length }, 'ready');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await producer.close();
    await redis.quit();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `dashboard: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
