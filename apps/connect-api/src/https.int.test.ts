import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestRedis,
  freePort,
  loopbackCertificate,
  startAppProcess,
  type AppProcess,
  type TestDatabase,
  type TestRedis,
} from '@crm-sync/testing';
import { Agent, fetch as undiciFetch } from 'undici';

// connect-api as the process it is deployed as, serving HTTPS itself with a certificate made here.
let database: TestDatabase;
let redis: TestRedis;
let dir: string;
let app: AppProcess | undefined;
let ca: string;
let base: string;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
  dir = await mkdtemp(join(tmpdir(), 'crm-sync-connect-api-tls-'));
  const tls = await loopbackCertificate();
  ca = tls.cert;
  await writeFile(join(dir, 'cert.pem'), tls.cert);
  await writeFile(join(dir, 'key.pem'), tls.key, { mode: 0o600 });
  const port = await freePort();
  base = `https://127.0.0.1:${port}`;
  app = await startAppProcess('connect-api', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    WORKER_QUEUE_PREFIX: redis.prefix,
    PUBLIC_BASE_URL: base,
    CONNECT_API_PORT: String(port),
    CONNECT_API_OPS_PORT: '0',
    CONNECT_API_TLS_CERT_FILE: join(dir, 'cert.pem'),
    CONNECT_API_TLS_KEY_FILE: join(dir, 'key.pem'),
    // No provider credentials and no sandbox: this test is about the transport.
    PROVIDER_MODE: 'live',
  });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await Promise.all([database.drop(), redis.cleanup(), rm(dir, { recursive: true, force: true })]);
});

it('answers /healthz over HTTPS to a client trusting its CA', async () => {
  const trusting = new Agent({ connect: { ca } });
  try {
    const response = await undiciFetch(`${base}/healthz`, { dispatcher: trusting });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  } finally {
    await trusting.close();
  }
});

it('is refused by a client that does not trust the certificate', async () => {
  await expect(fetch(`${base}/healthz`)).rejects.toThrow();
});

it('serves /metrics on the ops port only', async () => {
  const ops = `http://127.0.0.1:${app!.opsPort!}`;
  const metrics = await fetch(`${ops}/metrics`);
  expect(metrics.status).toBe(200);
  expect(await metrics.text()).toContain('crm_sync_http_request_duration_seconds');
  expect((await fetch(`${ops}/healthz`)).status).toBe(200);
  const trusting = new Agent({ connect: { ca } });
  try {
    expect((await undiciFetch(`${base}/metrics`, { dispatcher: trusting })).status).toBe(404);
  } finally {
    await trusting.close();
  }
});
