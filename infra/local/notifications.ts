// `npm start`'s demo consumer: prints each notification crm-sync sends the CRM (`crm-notifications`, the contract in
// docs/asyncapi.yaml), as a CRM service would receive it. In production the CRM runs its own consumer.
import { loadConfig } from '@crm-sync/config';
import { crmNotificationSchema, QUEUE_NAMES } from '@crm-sync/core';
import { createRedisConnection } from '@crm-sync/queue';
import { Worker } from 'bullmq';

const print = (line: string) => process.stdout.write(`${line}\n`);
const config = loadConfig();
const connection = createRedisConnection({
  url: config.redis.url,
  role: 'worker',
  connectionName: 'crm-sync-demo-notifications',
  ...(config.redis.tls && { tls: config.redis.tls }),
});
const worker = new Worker(
  QUEUE_NAMES.crmNotifications,
  async (job) => {
    const parsed = crmNotificationSchema.safeParse(job.data);
    if (!parsed.success) {
      print(`refused ${job.name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const { type, ...fields } = parsed.data;
    print(`${type} ${JSON.stringify(fields)}`);
  },
  { connection, prefix: config.queues.prefix, concurrency: 1 },
);
print(`printing ${QUEUE_NAMES.crmNotifications} (prefix ${config.queues.prefix})`);

const stop = () => {
  void worker
    .close()
    .then(() => connection.quit())
    .then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
