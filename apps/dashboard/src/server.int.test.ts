import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { createLogger } from '@crm-sync/observability';
import {
  createRedisConnection,
  JOB_CATALOG,
  JobProducer,
  SYNC_QUEUES,
  type CatalogQueue,
} from '@crm-sync/queue';
import { createTestRedis } from '@crm-sync/testing';
import type { FastifyInstance } from 'fastify';
import { buildDashboard } from './server';

const operator = { user: 'operator', password: 'a-long-test-password-123' };
const admin = { user: 'admin', password: 'another-long-admin-password' };
const basic = ({ user, password }: { user: string; password: string }) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const FAILURES_PER_MINUTE = 10;

// The test client is a trusted proxy here, so each test can be a client of its own (X-Forwarded-For) for the
// login throttle, which counts per client.
let clients = 0;
const newClient = () => `203.0.113.${++clients}`;
const get = (path: string, client: string, authorization?: string, method = 'GET') =>
  fetch(`${base}${path}`, {
    method,
    headers: { 'x-forwarded-for': client, ...(authorization ? { authorization } : {}) },
  });

let redis: Awaited<ReturnType<typeof createTestRedis>>;
let connection: ReturnType<typeof createRedisConnection>;
let producer: JobProducer;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  redis = await createTestRedis();
  // As main.ts's: the worker role queues commands until connected.
  connection = createRedisConnection({ url: redis.url, role: 'worker' });
  producer = new JobProducer({ connection, prefix: redis.prefix });
  const queues = (Object.keys(JOB_CATALOG) as CatalogQueue[]).map((name) => producer.queue(name));
  const logger = createLogger({ name: 'dashboard-test', level: 'silent', destination: new PassThrough() });
  app = await buildDashboard({
    queues,
    credentials: { operator, admin },
    logger,
    redis: connection,
    keyPrefix: redis.prefix,
    loginFailuresPerMinute: FAILURES_PER_MINUTE,
    trustProxy: ['127.0.0.1'],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await producer.close();
  await connection.quit();
  await redis.cleanup();
});

it.each([
  ['no credentials', undefined],
  ['a wrong password', basic({ user: 'operator', password: 'guess-guess-guess-guess' })],
  ['a wrong user', basic({ user: 'root', password: operator.password })],
  ['a malformed header', 'Basic !!!'],
])('refuses %s with a login challenge', async (_label, authorization) => {
  const client = newClient();
  for (const path of ['/', '/api/queues']) {
    const response = await get(path, client, authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="crm-sync operators"/);
  }
});

it('shows every queue, with its jobs, to an operator, read-only', async () => {
  const connectionId = '4b0d1a0e-8a1f-4f3e-9c3a-1d2e3f4a5b6c';
  await producer.enqueue(SYNC_QUEUES.google, 'mail', { connectionId, resource: 'mail' });
  const client = newClient();
  const page = await get('/', client, basic(operator));
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<html');
  const api = (await (await get('/api/queues', client, basic(operator))).json()) as {
    queues: Array<{ name: string; counts: Record<string, number>; readOnlyMode: boolean }>;
  };
  expect(api.queues.map((q) => q.name).sort()).toEqual((Object.keys(JOB_CATALOG) as string[]).sort());
  expect(api.queues.find((q) => q.name === SYNC_QUEUES.google)?.counts.waiting).toBe(1);
  expect(api.queues.every((q) => q.readOnlyMode)).toBe(true);
});

it('lets only the admin change queues, on the admin board', async () => {
  const client = newClient();
  const queue = producer.queue(SYNC_QUEUES.hubspot);
  const pause = (path: string, credential: { user: string; password: string }) =>
    get(`${path}/api/queues/${SYNC_QUEUES.hubspot}/pause`, client, basic(credential), 'PUT');

  expect((await pause('', operator)).status).toBe(403);
  // The admin too, on the operator's board: it is read-only for everyone.
  expect((await pause('', admin)).status).toBe(403);
  const operatorAtAdmin = await pause('/admin', operator);
  expect(operatorAtAdmin.status).toBe(401);
  expect(operatorAtAdmin.headers.get('www-authenticate')).toMatch(/^Basic realm="crm-sync admins"/);
  expect(await queue.isPaused()).toBe(false);

  expect((await pause('/admin', admin)).status).toBeLessThan(300);
  expect(await queue.isPaused()).toBe(true);
  await queue.resume();
});

it('throttles a client after repeated failed logins, right credentials included, and no one else', async () => {
  const client = newClient();
  const wrong = basic({ user: 'operator', password: 'guess-guess-guess-guess' });
  const statuses = [];
  for (let i = 0; i < FAILURES_PER_MINUTE; i += 1) statuses.push((await get('/', client, wrong)).status);
  expect(statuses).toEqual(Array(FAILURES_PER_MINUTE).fill(401));
  const throttled = await get('/', client, basic(operator));
  expect(throttled.status).toBe(429);
  expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await get('/', newClient(), basic(operator))).status).toBe(200);
});

it.each([
  ['the board', '/', basic(operator)],
  ['a refusal', '/api/queues', undefined],
  ['the health probe', '/healthz', undefined],
  ['an unknown path', '/nothing-here', basic(operator)],
])('forbids framing on %s', async (_label, path, authorization) => {
  const response = await get(path, newClient(), authorization);
  expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
  expect(response.headers.get('x-frame-options')).toBe('DENY');
});

it('answers health probes without credentials', async () => {
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});

it('has no admin board without an admin credential', async () => {
  const logger = createLogger({ name: 'dashboard-test', level: 'silent', destination: new PassThrough() });
  const readOnly = await buildDashboard({
    queues: [],
    credentials: { operator, admin: undefined },
    logger,
    redis: connection,
    keyPrefix: redis.prefix,
    loginFailuresPerMinute: FAILURES_PER_MINUTE,
    trustProxy: false,
  });
  try {
    await readOnly.listen({ host: '127.0.0.1', port: 0 });
    const port = (readOnly.server.address() as AddressInfo).port;
    const response = await fetch(`http://127.0.0.1:${port}/admin/api/queues`, {
      headers: { authorization: basic(admin) },
    });
    expect(response.status).toBe(404);
  } finally {
    await readOnly.close();
  }
});
