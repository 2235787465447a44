// dashboard process: Bull Board for operators; configuration, wiring and lifecycle only.
import { runProcess, type Stop } from '@crm-sync/observability';
import { JOB_CATALOG, type CatalogQueue } from '@crm-sync/queue';
import { startRuntime } from '@crm-sync/runtime';
import { buildDashboard } from './server';

async function start(): Promise<Stop> {
  // Bull Board reads queues with blocking-safe settings, as a worker connection does.
  const runtime = await startRuntime({ app: 'dashboard', redisRole: 'worker' });
  const { logger, producer } = runtime;
  const settings = runtime.config.dashboard;
  const queues = (Object.keys(JOB_CATALOG) as CatalogQueue[]).map((name) => producer.queue(name));
  const app = await buildDashboard({ queues, credentials: settings.operator, logger });
  await app.listen({ host: settings.host, port: settings.port });
  logger.info({ queues: queues.length }, 'ready');

  return async () => {
    await app.close();
    await runtime.close();
  };
}

runProcess('dashboard', start);
