import { QUEUE_NAMES } from '@crm-sync/core';
import { createRedisConnection, JobProducer } from '@crm-sync/queue';
import {
  CookieJar,
  freePort,
  startOwnRedis,
  waitFor,
  type AppProcess,
  type OwnRedisServer,
} from '@crm-sync/testing';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { appEnvironment, CRM_ORIGIN, SECRET } from '../test/connectApi';
import { startThreeApps } from '../test/threeApps';

// Issue 20 item 7, "no lost notification", with the apps as processes: connect-api, the worker and the scheduler
// share a redis-server of this test's own, which is stopped between the commit of a state change and its publish.
// Changes accepted while it is down are recorded in Postgres (the outbox); once it is back the scheduler relays
// them, the worker runs the job, and the CRM's notification is on its queue exactly once.
let h: ConnectionsHarness;
let redis: OwnRedisServer;
const apps: AppProcess[] = [];
let baseUrl: string;
let prefix: string;

beforeAll(async () => {
  h = await createConnectionsHarness();
  redis = await startOwnRedis();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env = appEnvironment(h, port, {
    REDIS_URL: redis.url,
    CONNECT_API_OPS_PORT: '0',
    WORKER_HTTP_PORT: '0',
    SCHEDULER_HTTP_PORT: '0',
    SCHEDULER_TICK_MS: '200',
    OUTBOX_RELAY_POLL_MS: '100',
    OUTBOX_RELAY_MAX_BACKOFF_MS: '500',
  });
  prefix = env.WORKER_QUEUE_PREFIX;
  apps.push(...(await startThreeApps(env)));
}, 180_000);

jest.setTimeout(360_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await redis.stop();
  await h.close();
});

const query = <T>(sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params) as Promise<T[]>;

/** Connects a new Google account through connect-api (consent in a browser); needs Redis (state and PKCE). */
async function connect(email: string) {
  const account = h.sandbox.control.createAccount({ provider: 'google', email, sizes: { contacts: 3 } });
  h.sandbox.control.setAuthorize('google', { defaultLoginEmail: email });
  const started = await fetch(`${baseUrl}/v1/connect/google`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      tenantId: 't1',
      crmUserId: email,
      resources: ['contacts'],
      redirectUrl: `${CRM_ORIGIN}/done`,
      loginHint: email,
    }),
  });
  expect(started.status).toBe(201);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  const consent = await h.trustingFetch(opened.headers.get('location')!, { redirect: 'manual' });
  expect((await browser.fetch(consent.headers.get('location')!)).status).toBe(302);
  const [row] = await query<{ id: string }>(`SELECT id FROM connections WHERE email = $1`, [email]);
  return { connectionId: row!.id, accountId: account.id };
}

/** The CRM's status notifications about one connection, as the CRM would read them from its queue. */
async function notifications(connectionId: string) {
  const connection = createRedisConnection({ url: redis.url, role: 'producer' });
  const producer = new JobProducer({ connection, prefix, timeoutMs: 5_000 });
  try {
    const jobs = await producer
      .queue(QUEUE_NAMES.crmNotifications)
      .getJobs(['waiting', 'active', 'completed']);
    return (
      jobs
        .map((j) => j.data as { type: string; connectionId: string; status?: string })
        // Its first sync's sync.completed may come and go either side of the outage; the change is what counts.
        .filter((d) => d.connectionId === connectionId && d.type === 'connection.status_changed')
        .map(({ type, status }) => ({ type, status }))
    );
  } finally {
    await producer.close();
    connection.disconnect();
  }
}

const outbox = async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`))[0]!.n;

it('a disconnect and a provider revocation accepted while Redis is down run once it is back, notified once', async () => {
  const disconnected = await connect('outage-disconnect@example.com');
  const revoked = await connect('outage-revoked@example.com');
  await waitFor(async () => (await outbox()) === 0, { what: 'the setup events relayed', timeoutMs: 60_000 });

  await redis.stop();
  const response = await fetch(`${baseUrl}/v1/connections/${disconnected.connectionId}?tenantId=t1`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${SECRET}` },
  });
  expect(response.status).toBe(202);
  const notice = (await h.sandbox.control.providerOp('google', revoked.accountId, 'risc', {
    url: `${baseUrl}/v1/webhooks/google/risc`,
    event: 'tokens-revoked',
  })) as { status: number };
  expect(notice.status).toBe(202);
  // Committed in Postgres and waiting there: the relay cannot hand anything over while Redis is away.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(await outbox()).toBeGreaterThan(0);

  await redis.restart();
  for (const { connectionId } of [disconnected, revoked]) {
    await waitFor(
      async () =>
        (await query(`SELECT 1 FROM credentials WHERE connection_id = $1`, [connectionId])).length === 0 &&
        (await notifications(connectionId)).length > 0,
      // The apps' Redis clients reconnect with a growing backoff: on a loaded machine that took past 60 s once.
      { what: 'the change carried out and the CRM notified', timeoutMs: 120_000 },
    );
  }
  await waitFor(async () => (await outbox()) === 0, { what: 'the outbox drained', timeoutMs: 30_000 });
  // A few more relay passes and worker polls: still exactly one notification each.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await notifications(disconnected.connectionId)).toEqual([
    { type: 'connection.status_changed', status: 'disconnected' },
  ]);
  expect(await notifications(revoked.connectionId)).toEqual([
    { type: 'connection.status_changed', status: 'revoked' },
  ]);
  const [row] = await query<{ status: string }>(`SELECT status FROM connections WHERE id = $1`, [
    revoked.connectionId,
  ]);
  expect(row!.status).toBe('revoked');
});
