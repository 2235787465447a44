import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseVaultKeys } from '@crm-sync/config';
import { insertSyncedRows } from '@crm-sync/connections/testing';
import { QUEUE_NAMES, type Provider, type Resource } from '@crm-sync/core';
import { createRedisConnection, JobProducer, type CatalogQueue } from '@crm-sync/queue';
import { CookieJar, startAppProcess, waitFor, type AppProcess } from '@crm-sync/testing';
import { CredentialStore, KeyRing } from '@crm-sync/vault';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { CRM_ORIGIN, startConnectApi, type ConnectApiProcess } from '../test/connectApi';
import { dataTraces } from '../test/dataTraces';

// Issue 20 items 3–5 (docs/deletion.md): deletion on request, its receipt, and retention, with connect-api,
// scheduler and worker as processes and the sandbox as every provider.
const VAULT_KEYS = `e2e:${randomBytes(32).toString('base64')}`;
const RECEIPT_KEY = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });

/** Three apps start at once on a shared machine: tsx compiles each on start. */
const STARTUP_MS = 120_000;

let c: ConnectApiProcess;
let scheduler: AppProcess;
let worker: AppProcess;
let producer: JobProducer;
let producerRedis: ReturnType<typeof createRedisConnection>;
let credentials: CredentialStore;
beforeAll(async () => {
  c = await startConnectApi(
    {
      VAULT_KEYS,
      DELETION_RECEIPT_KEYS: `e2e-1:${RECEIPT_KEY.toString('base64')}`,
      // Small batches make the purge long enough to kill midway; short locks hand the job on soon after.
      PURGE_BATCH_SIZE: '20',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_LOCK_DURATION_MS: '2000',
      RETENTION_SWEEP_INTERVAL_MS: '300',
      AUDIT_RETENTION_MS: String(365 * 86_400_000),
      SCHEDULER_TICK_MS: '200',
      SCHEDULER_HTTP_PORT: '0',
      WORKER_HTTP_PORT: '0',
      CONNECT_API_OPS_PORT: '0',
    },
    { timeoutMs: STARTUP_MS },
  );
  [scheduler, worker] = await Promise.all([
    startAppProcess('scheduler', c.env, { timeoutMs: STARTUP_MS }),
    startAppProcess('worker', c.env, { timeoutMs: STARTUP_MS }),
  ]);
  producerRedis = createRedisConnection({ url: c.h.redis.url, role: 'producer' });
  producer = new JobProducer({
    connection: producerRedis,
    prefix: c.keyPrefix,
  });
  credentials = new CredentialStore({
    db: c.h.db.dataSource,
    keyRing: new KeyRing(parseVaultKeys(VAULT_KEYS, undefined)),
  });
}, 400_000);
afterAll(async () => {
  await producer?.close();
  // BullMQ leaves a connection it was handed open: its owner quits it.
  await producerRedis?.quit();
  await Promise.all([scheduler?.stop(), worker?.stop()]);
  await c?.close();
});

const db = () => c.h.db.dataSource;
const json = async <T>(response: Response) => (await response.json()) as T;

interface Connected {
  id: string;
  provider: Provider;
  email: string;
  /** The provider account id as stored (HubSpot's hub id, say), read before the deletion erases it. */
  accountId: string;
  accessToken: string;
}

/** A CRM user connects a sandbox account through connect-api; its first sync lands. */
async function connect(
  provider: Provider,
  email: string,
  tenantId: string,
  crmUserId: string,
): Promise<Connected> {
  c.h.sandbox.control.createAccount({ provider, email, sizes: { messages: 5, contacts: 5 } });
  c.h.sandbox.control.setAuthorize(provider, { defaultLoginEmail: email });
  const resources: Resource[] = provider === 'google' ? ['mail'] : ['contacts'];
  const started = await c.api(`/v1/connect/${provider}`, {
    json: { tenantId, crmUserId, resources, redirectUrl: `${CRM_ORIGIN}/done`, loginHint: email },
  });
  const { authorizationUrl } = await json<{ authorizationUrl: string }>(started);
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  const atProvider = await fetch(opened.headers.get('location')!, { redirect: 'manual' });
  const done = await browser.fetch(atProvider.headers.get('location')!);
  const id = new URL(done.headers.get('location')!).searchParams.get('connectionId')!;
  const table = provider === 'google' ? 'emails' : 'crm_objects';
  await waitFor(
    async () => (await count(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1`, [id])) >= 5,
    {
      what: `the first ${provider} round of ${email}`,
      timeoutMs: 60_000,
    },
  );
  const tokens = (await credentials.load(id))!.tokens;
  const [{ account }] = (await db().query(
    `SELECT provider_account_id AS account FROM connections WHERE id = $1`,
    [id],
  )) as [{ account: string }];
  return { id, provider, email, accountId: account, accessToken: tokens.accessToken };
}

const count = async (sql: string, params: unknown[] = []) =>
  ((await db().query(sql, params)) as Array<{ n: number }>)[0]!.n;

const request = async (id: string) =>
  (
    (await db().query(`SELECT status, step, progress FROM deletion_requests WHERE id = $1`, [id])) as Array<{
      status: string;
      step: string;
      progress: { deleted: Record<string, number> };
    }>
  )[0]!;

/**
 * Unfinished work jobs, in every queue the workers consume, that name one of the connections. The CRM's own
 * queue (`crm-notifications`) is left out: the `connection.status_changed` it holds is how the CRM learns the
 * connection ended, and carries no personal data.
 */
async function queuedJobsFor(ids: string[]): Promise<number> {
  let found = 0;
  const queues = (Object.values(QUEUE_NAMES) as CatalogQueue[]).filter(
    (q) => q !== QUEUE_NAMES.crmNotifications,
  );
  for (const name of queues) {
    const jobs = await producer.queue(name).getJobs(['waiting', 'delayed', 'prioritized', 'active']);
    found += jobs.filter((j) =>
      ids.includes((j.data as { connectionId?: string }).connectionId ?? ''),
    ).length;
  }
  return found;
}

/** The receipt as a third party checks it: fetched once, verified with nothing but the published keys. */
async function verifiedReceipt(id: string, tenantId: string) {
  const { receipt, keysUrl } = await json<{ receipt: string; keysUrl: string }>(
    await c.api(`/v1/deletion-receipts/${id}?tenantId=${tenantId}`),
  );
  const keys = await json<Parameters<typeof createLocalJWKSet>[0]>(await fetch(keysUrl));
  return (await jwtVerify(receipt, createLocalJWKSet(keys), { issuer: c.baseUrl, algorithms: ['EdDSA'] }))
    .payload;
}

async function expectGone(connections: Connected[]): Promise<void> {
  const ids = connections.map((x) => x.id);
  // A short account id (HubSpot's numeric hub id) would match unrelated numbers: the row check below covers it.
  const personal = connections.flatMap((x) => [x.email, ...(x.accountId.length >= 8 ? [x.accountId] : [])]);
  expect(await dataTraces(db(), ids, personal)).toEqual({});
  expect(
    await count(
      `SELECT count(*)::int AS n FROM connections
        WHERE id = ANY($1::uuid[]) AND (email IS NOT NULL OR provider_account_id IS NOT NULL)`,
      [ids],
    ),
  ).toBe(0);
  expect(
    await count(`SELECT count(*)::int AS n FROM credentials WHERE connection_id = ANY($1::uuid[])`, [ids]),
  ).toBe(0);
  expect(await queuedJobsFor(ids)).toBe(0);
  for (const x of connections.filter((y) => y.provider === 'google')) {
    // The sandbox no longer honours the grant: it was revoked at the provider, not only forgotten here.
    const userinfo = await fetch(`${c.h.sandbox.urls.google}/oauth2/v2/userinfo`, {
      headers: { authorization: `Bearer ${x.accessToken}` },
    });
    expect(userinfo.status).toBe(401);
  }
}

it('deletes a user: a purge killed midway finishes after a restart, leaves nothing and signs a receipt', async () => {
  const mine = [
    await connect('google', 'leaver.google@example.com', 't1', 'leaver'),
    await connect('hubspot', 'leaver.hubspot@example.com', 't1', 'leaver'),
  ];
  const stayer = await connect('google', 'stayer.google@example.com', 't1', 'stayer');
  await insertSyncedRows(c.h, mine[0]!.id, 1_500);
  const synced = await count(`SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`, [mine[0]!.id]);

  const accepted = await c.api('/v1/users/leaver?tenantId=t1', { method: 'DELETE' });
  expect(accepted.status).toBe(202);
  const { deletionRequestId } = await json<{ deletionRequestId: string }>(accepted);

  // Killed while deleting rows: progress so far is committed.
  await waitFor(async () => (await request(deletionRequestId)).step === 'data', {
    what: 'the purge to reach its data step',
    timeoutMs: 60_000,
    intervalMs: 10,
  });
  worker.child.kill('SIGKILL');
  await worker.stop();
  const midway = await request(deletionRequestId);
  expect(midway.status).toBe('running');
  worker = await startAppProcess('worker', c.env, { timeoutMs: STARTUP_MS });
  await waitFor(async () => (await request(deletionRequestId)).status === 'completed', {
    what: 'the restarted worker to finish the purge',
    timeoutMs: 90_000,
  });

  await expectGone(mine);
  const receipt = await verifiedReceipt(deletionRequestId, 't1');
  expect(receipt).toMatchObject({
    deletionRequestId,
    tenantId: 't1',
    crmUserId: 'leaver',
    // The worker shreds the data keys first (docs/deletion.md): the receipt says when the data became unreadable.
    unreadableAt: expect.any(String),
  });
  // Counts committed with each batch add up across the kill.
  expect((receipt.deleted as Record<string, number>).emails).toBe(synced);
  expect(receipt.connections).toEqual(
    expect.arrayContaining([{ id: mine[0]!.id, provider: 'google', revocation: 'revoked' }]),
  );
  expect(
    await count(`SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`, [stayer.id]),
  ).toBeGreaterThan(0);
}, 300_000);

it('deletes a tenant: every connection of it, nothing of another tenant', async () => {
  const gone = [
    await connect('google', 'tenant.google@example.com', 'gone', 'a'),
    await connect('hubspot', 'tenant.hubspot@example.com', 'gone', 'b'),
  ];
  const { deletionRequestId } = await json<{ deletionRequestId: string }>(
    await c.api('/v1/tenants/gone', { method: 'DELETE' }),
  );
  await waitFor(async () => (await request(deletionRequestId)).status === 'completed', {
    what: 'the tenant purge',
    timeoutMs: 90_000,
  });
  await expectGone(gone);
  expect(await verifiedReceipt(deletionRequestId, 'gone')).toMatchObject({
    tenantId: 'gone',
    crmUserId: null,
  });
  expect(
    await count(`SELECT count(*)::int AS n FROM connections WHERE tenant_id = 't1' AND email IS NOT NULL`),
  ).toBeGreaterThan(0);
}, 300_000);

it('retention: the scheduler purges ended connections past their tenant period and prunes old audit events', async () => {
  expect(
    (await c.api('/v1/tenants/keeps/retention', { method: 'PUT', json: { retentionDays: 30 } })).status,
  ).toBe(200);
  const now = await connect('google', 'retention.now@example.com', 'prompt', 'u');
  const later = await connect('google', 'retention.later@example.com', 'keeps', 'u');
  await db().query(
    `INSERT INTO audit_events (tenant_id, type, actor, created_at) VALUES ('prompt', 'sync_failed', 'system', now() - interval '400 days')`,
  );
  for (const [x, tenantId] of [
    [now, 'prompt'],
    [later, 'keeps'],
  ] as const) {
    expect((await c.api(`/v1/connections/${x.id}?tenantId=${tenantId}`, { method: 'DELETE' })).status).toBe(
      202,
    );
  }
  // data_purged_at commits with the purge's audit event, after the last batch.
  await waitFor(
    async () =>
      (await count(
        `SELECT count(*)::int AS n FROM connections WHERE id = $1 AND data_purged_at IS NOT NULL`,
        [now.id],
      )) === 1,
    { what: 'the sweeper to purge the disconnected connection', timeoutMs: 60_000 },
  );
  expect(await count(`SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`, [now.id])).toBe(0);
  const log = (await db().query(
    `SELECT type, actor FROM audit_events WHERE connection_id = $1 AND type = 'purge_completed'`,
    [now.id],
  )) as unknown[];
  expect(log).toEqual([{ type: 'purge_completed', actor: 'system:retention' }]);
  await waitFor(
    async () =>
      (await count(`SELECT count(*)::int AS n FROM connections WHERE id = $1 AND status = 'disconnected'`, [
        later.id,
      ])) === 1,
    {
      what: 'the second disconnect',
      timeoutMs: 30_000,
    },
  );
  // Several sweeps later the 30-day tenant still has its data; the old audit event is gone.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(
    await count(`SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`, [later.id]),
  ).toBeGreaterThan(0);
  expect(
    await count(`SELECT count(*)::int AS n FROM audit_events WHERE created_at < now() - interval '365 days'`),
  ).toBe(0);
}, 300_000);
