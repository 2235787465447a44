import { seedSyncStates } from '@crm-sync/sync-states/testing';
import { createRedisConnection, JobProducer, SYNC_QUEUES } from '@crm-sync/queue';
import { createTestDatabase, createTestRedis, startAppProcess, waitFor } from '@crm-sync/testing';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
});
afterAll(async () => {
  await Promise.all([redis.cleanup(), db.drop()]);
});

it('runs as a process: enqueues due syncs each tick, serves health, stops cleanly on SIGTERM', async () => {
  const connections = (await db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
     SELECT 't', 'u', 'hubspot', 'acct-' || i FROM generate_series(1, 40) i RETURNING id`,
  )) as Array<{ id: string }>;
  await seedSyncStates(
    db.dataSource,
    connections.map(({ id }) => ({ connectionId: id, resource: 'deals', nextSyncAt: new Date() })),
  );
  const scheduler = await startAppProcess('scheduler', {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    WORKER_QUEUE_PREFIX: redis.prefix,
    SCHEDULER_TICK_MS: '100',
    SCHEDULER_HTTP_PORT: '0',
    LOG_LEVEL: 'info',
  });
  try {
    const port = scheduler.opsPort;
    const connection = createRedisConnection({ url: redis.url, role: 'producer' });
    const producer = new JobProducer({ connection, prefix: redis.prefix });
    await waitFor(
      async () => (await producer.queue(SYNC_QUEUES.hubspot).getJobCounts('waiting')).waiting === 40,
      { what: '40 waiting hubspot jobs' },
    );
    await producer.close();
    await connection.quit();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    // Counted once the tick that enqueued them has ended, which can come a moment after the jobs are seen.
    const enqueued = /crm_sync_scheduler_enqueued_total\{kind="sync",app="scheduler"\} 40/;
    await waitFor(async () => enqueued.test(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()), {
      what: 'the enqueued jobs counted in the metrics',
    });
    expect(await scheduler.stop()).toBe(0);
  } finally {
    await scheduler.stop();
  }
  expect(scheduler.output()).not.toMatch(/"level":(50|60)/);
});
