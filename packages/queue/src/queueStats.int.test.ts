import { randomUUID } from 'node:crypto';
import { createTestRedis } from '@crm-sync/testing';
import { createRedisConnection, JobProducer, QUEUE_NAMES, queueStatsReader } from './index';

let redis: Awaited<ReturnType<typeof createTestRedis>>;
let connection: ReturnType<typeof createRedisConnection>;
let producer: JobProducer;

beforeAll(async () => {
  redis = await createTestRedis();
  connection = createRedisConnection({ url: redis.url, role: 'producer' });
  producer = new JobProducer({ connection, prefix: redis.prefix });
});

afterAll(async () => {
  await producer.close();
  await connection.quit();
  await redis.cleanup();
});

it('counts waiting jobs per queue and ages the oldest one', async () => {
  const reader = queueStatsReader(connection, redis.prefix, [QUEUE_NAMES.tokenRefresh, QUEUE_NAMES.audit]);
  try {
    expect(await reader.read()).toEqual([
      { queue: 'token-refresh', waiting: 0, active: 0, delayed: 0, failed: 0, oldestWaitingAgeSeconds: 0 },
      { queue: 'audit', waiting: 0, active: 0, delayed: 0, failed: 0, oldestWaitingAgeSeconds: 0 },
    ]);
    const first = Date.now();
    await producer.enqueue(QUEUE_NAMES.tokenRefresh, 'refresh', { connectionId: randomUUID() });
    await new Promise((r) => setTimeout(r, 30));
    await producer.enqueue(QUEUE_NAMES.tokenRefresh, 'refresh', { connectionId: randomUUID() });
    const [refresh, audit] = await reader.read(first + 60_000);
    expect(refresh).toMatchObject({ queue: 'token-refresh', waiting: 2 });
    // The oldest job's age, not the newest's: about 60 s after the first was added.
    expect(refresh!.oldestWaitingAgeSeconds).toBeGreaterThan(59.5);
    expect(refresh!.oldestWaitingAgeSeconds).toBeLessThan(60.5);
    expect(audit).toMatchObject({ waiting: 0, oldestWaitingAgeSeconds: 0 });
  } finally {
    await reader.close();
  }
});
