import { randomUUID } from 'node:crypto';
import { connectionCounts } from '@crm-sync/connections';
import { QUEUE_NAMES } from '@crm-sync/core';
import { createMetrics } from '@crm-sync/observability';
import { createRedisConnection, JobProducer, queueStatsReader } from '@crm-sync/queue';
import { syncStates } from '@crm-sync/sync-states';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@crm-sync/testing';
import { fleetMetrics, FRESHNESS_BUCKETS } from './metrics';

let db: TestDatabase;
let redis: TestRedis;
beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
});
afterAll(async () => {
  await Promise.all([db.drop(), redis.cleanup()]);
});

it('exports queue depths, connections by status and freshness from the real stores', async () => {
  const [active] = (await db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
     VALUES ('t', 'u', 'google', 'a1', 'active'), ('t', 'u2', 'google', 'a2', 'needs_reauth') RETURNING id`,
  )) as Array<{ id: string }>;
  await db.dataSource.query(
    `INSERT INTO sync_states (connection_id, resource, last_success_at) VALUES ($1, 'mail', now() - interval '2 hours')`,
    [active!.id],
  );
  const connection = createRedisConnection({ url: redis.url, role: 'producer' });
  const producer = new JobProducer({ connection, prefix: redis.prefix });
  const queues = queueStatsReader(connection, redis.prefix, Object.values(QUEUE_NAMES));
  try {
    await producer.enqueue(QUEUE_NAMES.tokenRefresh, 'refresh', { connectionId: randomUUID() });
    const metrics = createMetrics({ collectDefaults: false });
    await fleetMetrics(metrics, {
      queues: () => queues.read(),
      connections: () => connectionCounts(db.dataSource),
      freshness: () => syncStates.freshness(db.dataSource, FRESHNESS_BUCKETS),
    }).refresh();
    const text = await metrics.render();
    expect(text).toContain('crm_sync_queue_jobs{queue="token-refresh",state="waiting"} 1');
    expect(text).toContain('crm_sync_queue_jobs{queue="sync-google",state="waiting"} 0');
    expect(text).toMatch(/crm_sync_queue_oldest_waiting_age_seconds\{queue="token-refresh"\} \d/);
    expect(text).toContain('crm_sync_connections{status="active"} 1');
    expect(text).toContain('crm_sync_connections{status="needs_reauth"} 1');
    expect(text).toContain('crm_sync_connections{status="revoked"} 0');
    // Two hours old: above the 1-hour bucket, inside the 3-hour one.
    expect(text).toContain('crm_sync_sync_freshness_seconds_bucket{le="3600"} 0');
    expect(text).toContain('crm_sync_sync_freshness_seconds_bucket{le="10800"} 1');
    expect(text).toContain('crm_sync_sync_freshness_seconds_bucket{le="+Inf"} 1');
    expect(text).toContain('crm_sync_sync_freshness_seconds_count 1');
    expect(text).toMatch(/crm_sync_sync_freshness_max_seconds 720\d/);
  } finally {
    await queues.close();
    await producer.close();
    await connection.quit();
  }
});
