import { loadConfig } from '@crm-sync/config';
import { QUEUE_NAMES } from '@crm-sync/queue';
import {
  createTestDatabase,
  createTestRedis,
  waitFor,
  type TestDatabase,
  type TestRedis,
} from '@crm-sync/testing';
import { startRuntime } from './runtime';

let database: TestDatabase;
let redis: TestRedis;
beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
});
afterAll(async () => {
  await Promise.all([database.drop(), redis.cleanup()]);
});

const config = () =>
  loadConfig({
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    WORKER_QUEUE_PREFIX: redis.prefix,
    LOG_LEVEL: 'silent',
  });

it('opens Postgres and Redis, checks both, sends under the configured prefix, and closes everything', async () => {
  const runtime = await startRuntime({
    app: 'worker',
    redisRole: 'worker',
    database: true,
    loadConfig: config,
  });
  const extra = runtime.redisConnection('worker-extra', 'worker');
  await Promise.all(Object.values(runtime.health).map((check) => check()));
  expect(Object.keys(runtime.health).sort()).toEqual(['postgres', 'redis']);
  expect(await runtime.db.query('SELECT current_database() AS name')).toEqual([
    { name: new URL(database.url).pathname.slice(1) },
  ]);

  await runtime.producer.publish(QUEUE_NAMES.connectionEvents, {
    type: 'user.deleted',
    tenantId: 't1',
    crmUserId: 'u1',
  });
  expect(await redis.redis.keys(`${redis.prefix}:${QUEUE_NAMES.connectionEvents}:*`)).not.toEqual([]);

  await runtime.close();
  expect(runtime.db.isInitialized).toBe(false);
  // quit() resolves on Redis's OK; the socket closes just after.
  await waitFor(() => runtime.redis.status === 'end' && extra.status === 'end', {
    what: 'both connections ended',
  });
});

it('opens no database unless asked', async () => {
  const runtime = await startRuntime({ app: 'dashboard', redisRole: 'worker', loadConfig: config });
  expect(Object.keys(runtime.health)).toEqual(['redis']);
  expect('db' in runtime).toBe(false);
  await runtime.close();
});
