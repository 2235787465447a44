import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createRedisConnection, JobProducer, QUEUE_NAMES } from '@crm-sync/queue';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@crm-sync/testing';

// The operator CLI as an operator runs it (`npx crm-sync …`), against a real database and Redis.
const BIN = join(__dirname, '..', 'bin', 'crm-sync.js');
let db: TestDatabase;
let redis: TestRedis;
let connectionId: string;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
  const [row] = (await db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
     VALUES ('t1', 'u1', 'google', 'acct-1', 'active') RETURNING id`,
  )) as Array<{ id: string }>;
  connectionId = row!.id;
  await db.dataSource.query(
    `INSERT INTO sync_states (connection_id, resource, last_success_at) VALUES ($1, 'mail', now() - interval '3 hours')`,
    [connectionId],
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([db.drop(), redis.cleanup()]);
});

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const { NODE_ENV: _jest, ...env } = process.env;
  const run = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...env, DATABASE_URL: db.url, REDIS_URL: redis.url, WORKER_QUEUE_PREFIX: `${redis.prefix}q` },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const outbox = async () =>
  (await db.dataSource.query(`SELECT payload FROM outbox ORDER BY created_at`)) as Array<{
    payload: { type: string; connectionId: string; full?: boolean; purge?: boolean; resources?: string[] };
  }>;

it('lists a tenant’s connections with their resources’ last completed round', () => {
  const { code, out } = cli('connections', '--tenant', 't1');
  expect(code).toBe(0);
  expect(out).toContain(connectionId);
  expect(out).toMatch(/mail:idle \(3h ago\)/);
  expect(out).toContain('1 connection(s) in tenant t1');
  expect(cli('connections', '--tenant', 'other').out).toContain('0 connection(s)');
});

it('asks for a full resync and a disconnect with purge through the outbox, audited as the operator', async () => {
  expect(cli('sync', connectionId, '--tenant', 't1', '--full', '--resource', 'mail').code).toBe(0);
  expect(cli('disconnect', connectionId, '--tenant', 't1', '--purge').code).toBe(0);
  expect((await outbox()).map((e) => e.payload)).toEqual([
    expect.objectContaining({ type: 'sync.requested', connectionId, full: true, resources: ['mail'] }),
    expect.objectContaining({ type: 'connection.disconnect_requested', connectionId, purge: true }),
  ]);
  const audit = (await db.dataSource.query(`SELECT type, actor FROM audit_events WHERE connection_id = $1`, [
    connectionId,
  ])) as Array<{ type: string; actor: string }>;
  expect(audit).toContainEqual({ type: 'purge_requested', actor: 'operator-cli' });
});

it('refuses another tenant’s connection and bad invocations, changing nothing', async () => {
  const before = (await outbox()).length;
  expect(cli('sync', connectionId, '--tenant', 't2')).toMatchObject({ code: 1 });
  expect(cli('sync', connectionId, '--tenant', 't1', '--resource', 'faxes')).toMatchObject({ code: 64 });
  expect(cli('disconnect', '--tenant', 't1')).toMatchObject({ code: 64 });
  expect(cli('connections')).toMatchObject({ code: 64 });
  expect(cli('nonsense').err).toContain('usage: crm-sync');
  expect((await outbox()).length).toBe(before);
});

it('shows jobs per queue and the oldest waiting one', async () => {
  const connection = createRedisConnection({ url: redis.url, role: 'producer' });
  const producer = new JobProducer({ connection, prefix: `${redis.prefix}q` });
  await producer.enqueue(QUEUE_NAMES.tokenRefresh, 'refresh', { connectionId: randomUUID() });
  await producer.close();
  await connection.quit();
  const { code, out } = cli('queues');
  expect(code).toBe(0);
  expect(out).toMatch(/^token-refresh\s+1\s+0\s+0\s+0\s+\d+s$/m);
  expect(out).toMatch(/^sync-google\s+0\s+0\s+0\s+0\s+-$/m);
});
