// The steady phase's consumer, run as its own process (steady.ts forks it): no-op Workers, so the parent's CPU
// figure holds the scheduler alone. Arguments: --prefix <BullMQ prefix> --redis <url>.
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createRedisConnection, SYNC_QUEUES } from '@crm-sync/queue';
import { Worker } from 'bullmq';

export const SYNC_QUEUE_NAMES = Object.values(SYNC_QUEUES);

async function consume(redisUrl: string, prefix: string): Promise<void> {
  let processed = 0;
  const workers = SYNC_QUEUE_NAMES.map(
    (name) =>
      new Worker(
        name,
        async () => {
          processed += 1;
        },
        {
          connection: createRedisConnection({ url: redisUrl, role: 'worker' }),
          prefix,
          concurrency: 50,
          // Same retention the producer asks for; the Worker's own defaults would keep every completed job.
          removeOnComplete: { count: 1_000 },
        },
      ),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  process.send?.({ ready: true });
  await once(process, 'message');
  await Promise.all(workers.map((w) => w.close()));
  const cpu = process.cpuUsage();
  // Worker.close() leaves a connection it was given open, so exit explicitly once the result is sent.
  process.send?.({ processed, cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.exit(0));
}

if (require.main === module) {
  const { values } = parseArgs({ options: { prefix: { type: 'string' }, redis: { type: 'string' } } });
  consume(values.redis ?? '', values.prefix ?? '').catch((error: unknown) => {
    console.error(`consumer failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
