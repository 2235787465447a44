import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@crm-sync/config';
import { QUEUE_NAMES } from '@crm-sync/queue';
import {
  loopbackCertificate,
  startTlsPostgres,
  startTlsRedis,
  type TlsPostgresServer,
  type TlsRedisServer,
} from '@crm-sync/testing';
import { RuntimeStartError, startRuntime } from './index';

// Servers of this test's own, speaking only TLS with a certificate made here; `other` is a CA they do not use.
let postgres: TlsPostgresServer | undefined;
let redis: TlsRedisServer | undefined;
let dir: string;
const ca = { right: '', wrong: '' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-sync-runtime-tls-'));
  const [server, other] = await Promise.all([loopbackCertificate(), loopbackCertificate()]);
  ca.right = join(dir, 'right-ca.pem');
  ca.wrong = join(dir, 'wrong-ca.pem');
  await Promise.all([writeFile(ca.right, server.cert), writeFile(ca.wrong, other.cert)]);
  [postgres, redis] = await Promise.all([startTlsPostgres(server), startTlsRedis(server)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const config = (cas: { database: string; redis: string }) => () =>
  loadConfig({
    DATABASE_URL: `${postgres!.url}?sslmode=verify-full`,
    DATABASE_CA_FILE: cas.database,
    REDIS_URL: redis!.url,
    REDIS_CA_FILE: cas.redis,
    WORKER_QUEUE_PREFIX: 'crm-sync-tls-test',
    LOG_LEVEL: 'silent',
  });

it('connects Postgres, Redis and BullMQ over TLS to servers signed by the configured CA', async () => {
  const runtime = await startRuntime({
    app: 'worker',
    redisRole: 'worker',
    database: true,
    loadConfig: config({ database: ca.right, redis: ca.right }),
  });
  try {
    await Promise.all(Object.values(runtime.health).map((check) => check()));
    expect(Object.keys(runtime.health).sort()).toEqual(['postgres', 'redis']);
    expect(await runtime.db.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).toEqual([
      { ssl: true },
    ]);
    await runtime.producer.publish(QUEUE_NAMES.connectionEvents, {
      type: 'user.deleted',
      tenantId: 't1',
      crmUserId: 'u1',
    });
    expect(await runtime.redis.keys(`crm-sync-tls-test:${QUEUE_NAMES.connectionEvents}:*`)).not.toEqual([]);
  } finally {
    await runtime.close();
  }
});

it.each([
  ['Postgres', { database: 'wrong', redis: 'right' }],
  ['Redis', { database: 'right', redis: 'wrong' }],
] as const)('refuses to start when %s presents a certificate the CA did not sign', async (service, which) => {
  const files = { database: ca[which.database], redis: ca[which.redis] };
  const start = startRuntime({
    app: 'worker',
    redisRole: 'worker',
    database: true,
    loadConfig: config(files),
  });
  await expect(start).rejects.toThrow(RuntimeStartError);
  await expect(start).rejects.toThrow(new RegExp(`^${service}: .*certificate`));
});
