import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createRedisConnection, JobProducer, SYNC_QUEUES } from '@crm-sync/queue';
import { createTestDatabase, createTestRedis, waitFor } from '@crm-sync/testing';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
});
afterAll(async () => {
  await Promise.all([redis.cleanup(), db.drop()]);
});

it('runs as a process: enqueues due syncs each tick, serves health, stops cleanly on SIGTERM', async () => {
  await db.dataSource.query(
    `WITH c AS (INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
                SELECT 't', 'u', 'hubspot', 'acct-' || i FROM generate_series(1, 40) i RETURNING id)
     INSERT INTO sync_states (connection_id, resource, next_sync_at) SELECT id, 'deals', now() FROM c`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'main.ts')], {
    cwd: resolve(__dirname, '..'),
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      WORKER_QUEUE_PREFIX: redis.prefix,
      SCHEDULER_TICK_MS: '100',
      SCHEDULER_HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const port = await waitFor(() => Number(/"opsPort":(\d+)/.exec(output)?.[1]) || undefined, {
      what: 'the ops port in the ready line',
    });
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
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(
      /crm_sync_scheduler_enqueued_total\{kind="sync",app="scheduler"\} 40/,
    );
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  expect(output).not.toMatch(/"level":(50|60)/);
});
