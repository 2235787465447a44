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

const credentials = { user: 'operator', password: 'a-long-test-password-123' };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let redis: Awaited<ReturnType<typeof createTestRedis>>;
let connection: ReturnType<typeof createRedisConnection>;
let producer: JobProducer;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  redis = await createTestRedis();
  connection = createRedisConnection({ url: redis.url, role: 'producer' });
  producer = new JobProducer({ connection, prefix: redis.prefix });
  const queues = (Object.keys(JOB_CATALOG) as CatalogQueue[]).map((name) => producer.queue(name));
  const logger = createLogger({ name: 'dashboard-test', level: 'silent', destination: new PassThrough() });
  app = await buildDashboard({ queues, credentials, logger });
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
  ['a wrong password', basic('operator', 'guess-guess-guess-guess')],
  ['a wrong user', basic('root', credentials.password)],
  ['a malformed header', 'Basic !!!'],
])('refuses %s with a login challenge', async (_label, authorization) => {
  for (const path of ['/', '/api/queues']) {
    const response = await fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  }
});

it('shows every queue, with its jobs, to an operator', async () => {
  const connectionId = '4b0d1a0e-8a1f-4f3e-9c3a-1d2e3f4a5b6c';
  await producer.enqueue(SYNC_QUEUES.google, 'mail', { connectionId, resource: 'mail' });
  const headers = { authorization: basic(credentials.user, credentials.password) };
  const page = await fetch(`${base}/`, { headers });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<html');
  const api = (await (await fetch(`${base}/api/queues`, { headers })).json()) as {
    queues: Array<{ name: string; counts: Record<string, number> }>;
  };
  expect(api.queues.map((q) => q.name).sort()).toEqual((Object.keys(JOB_CATALOG) as string[]).sort());
  expect(api.queues.find((q) => q.name === SYNC_QUEUES.google)?.counts.waiting).toBe(1);
});

it('answers health probes without credentials', async () => {
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});
