import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVaultKeys } from '@crm-sync/config';
import {
  createConnectionsHarness,
  testContentKeys,
  type ConnectionsHarness,
} from '@crm-sync/connections/testing';
import { sandboxSnapshot, SYNC_CASES, tableSnapshot } from '@crm-sync/sync-engine/testing';
import { CookieJar, freePort, startAppProcess, waitFor, type AppProcess } from '@crm-sync/testing';
import { KeyRing } from '@crm-sync/vault';

// Issue 16: with a non-default WORKER_QUEUE_PREFIX, a sync request or a disconnect sent through connect-api used
// to land under the default prefix, where no worker listens. Here every app runs as its own process with one
// custom prefix, and each request must reach the worker.
const c = SYNC_CASES.find((x) => x.provider === 'google' && x.resource === 'mail')!;
const SECRET = 'e2e-service-secret-0123456789abcdef';

const VAULT_KEYS = `e2e:${randomBytes(32).toString('base64')}`;
let h: ConnectionsHarness;
const apps: AppProcess[] = [];
let baseUrl: string;

beforeAll(async () => {
  h = await createConnectionsHarness();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const caFile = join(mkdtempSync(join(tmpdir(), 'crm-sync-e2e-')), 'ca.pem');
  writeFileSync(caFile, h.sandbox.caPem);
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: h.db.url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: h.redis.url,
    WORKER_QUEUE_PREFIX: `${h.redis.prefix}not-the-default`,
    VAULT_KEYS,
    SERVICE_TOKENS: `crm:${SECRET}:*`,
    PUBLIC_BASE_URL: baseUrl,
    CONNECT_API_PORT: String(port),
    CONNECT_API_OPS_PORT: '0',
    ALLOWED_REDIRECT_ORIGINS: 'https://crm.example.com',
    PROVIDER_MODE: 'sandbox',
    SANDBOX_HTTP_URL: h.sandbox.urls.google,
    SANDBOX_HTTPS_URL: h.sandbox.urls.microsoft,
    SANDBOX_CA_FILE: caFile,
    SCHEDULER_TICK_MS: '200',
    SCHEDULER_HTTP_PORT: '0',
    WORKER_HTTP_PORT: '0',
    SYNC_SLICE_MS: '2000',
  };
  apps.push(
    ...(await Promise.all([
      startAppProcess('connect-api', env),
      startAppProcess('scheduler', env),
      startAppProcess('worker', env),
    ])),
  );
}, 60_000);

/** Opens what the worker process sealed: its data keys are wrapped under VAULT_KEYS. */
const content = () => testContentKeys(h.db.dataSource, new KeyRing(parseVaultKeys(VAULT_KEYS, undefined)));

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await h.close();
});

const api = (path: string, init: { method?: string; json?: unknown } = {}) =>
  fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${SECRET}`,
      ...(init.json !== undefined && { 'content-type': 'application/json' }),
    },
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
  });

it('connects, syncs, honours a sync request and a disconnect, all under a custom queue prefix', async () => {
  const account = h.sandbox.control.createAccount({
    provider: 'google',
    email: 'prefix@example.com',
    sizes: { messages: 40 },
  });
  const started = await api('/v1/connect/google', {
    json: {
      tenantId: 't1',
      crmUserId: 'u1',
      resources: ['mail'],
      redirectUrl: 'https://crm.example.com/done',
      loginHint: account.email,
    },
  });
  expect(started.status).toBe(201);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  const consent = await fetch(opened.headers.get('location')!, { redirect: 'manual' });
  const callback = await browser.fetch(consent.headers.get('location')!);
  expect(callback.status).toBe(302);
  const [connection] = (await h.db.dataSource.query(`SELECT id FROM connections WHERE email = $1`, [
    account.email,
  ])) as Array<{ id: string }>;
  const connectionId = connection!.id;

  // The scheduler hands the first round to the worker.
  await waitFor(async () => (await tableSnapshot(h, c, connectionId, c.column, content())).size === 40, {
    what: 'the first round to land 40 messages',
    timeoutMs: 30_000,
  });

  // A sync request through connect-api reaches the worker now, not at the next interval (5 minutes away).
  h.sandbox.control.addItem('google', account.id, 'messages', { subject: 'sent after the first round' });
  const requested = await api(`/v1/connections/${connectionId}/sync`, { json: { tenantId: 't1' } });
  expect(requested.status).toBe(202);
  await waitFor(
    async () =>
      (await tableSnapshot(h, c, connectionId, c.column, content())).size ===
      sandboxSnapshot(h, c, account.id).size,
    { what: 'the requested round to land the new message', timeoutMs: 30_000 },
  );

  // So does a disconnect: the worker revokes, deletes the tokens and marks the connection.
  const disconnected = await api(`/v1/connections/${connectionId}?tenantId=t1`, { method: 'DELETE' });
  expect(disconnected.status).toBe(202);
  await waitFor(
    async () =>
      (
        (await h.db.dataSource.query(`SELECT status FROM connections WHERE id = $1`, [
          connectionId,
        ])) as Array<{
          status: string;
        }>
      )[0]?.status === 'disconnected',
    { what: 'the worker to disconnect', timeoutMs: 30_000 },
  );
  expect(
    await h.db.dataSource.query(`SELECT 1 FROM credentials WHERE connection_id = $1`, [connectionId]),
  ).toEqual([]);
});
