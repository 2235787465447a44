// dashboard process: Bull Board for operators; configuration, wiring and lifecycle only.
import { runProcess, type Stop } from '@crm-sync/observability';
import { JOB_CATALOG, type CatalogQueue } from '@crm-sync/queue';
import { startRuntime } from '@crm-sync/runtime';
import { buildDashboard } from './server';

async function start(): Promise<Stop> {
  // Bull Board reads queues with blocking-safe settings, as a worker connection does.
  const runtime = await startRuntime({ app: 'dashboard', redisRole: 'worker' });
  const { logger, producer, redis, config } = runtime;
  const settings = config.dashboard;
  const queues = (Object.keys(JOB_CATALOG) as CatalogQueue[]).map((name) => producer.queue(name));
  const app = await buildDashboard({
    queues,
    credentials: { operator: settings.operator, admin: settings.admin },
    logger,
    redis,
    keyPrefix: `${config.queues.prefix}:dashboard:`,
    loginFailuresPerMinute: settings.loginFailuresPerMinute,
    trustProxy: settings.trustProxy,
  });
  await app.listen({ host: settings.host, port: settings.port });
  logger.info({ queues: queues.length, admin: Boolean(settings.admin) }, 'ready');

  return async () => {
    await app.close();
    await runtime.close();
  };
}

runProcess('dashboard', start);
