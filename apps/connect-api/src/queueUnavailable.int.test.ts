import { createRedisConnection, JobProducer } from '@crm-sync/queue';
import { freePort } from '@crm-sync/testing';
import { startApp, type AppHarness } from '../test/appHarness';
import { seedConnection } from '../test/seed';

let h: AppHarness;
let dead: ReturnType<typeof createRedisConnection>;
let deadProducer: JobProducer;
beforeAll(async () => {
  h = await startApp();
  // A Redis nobody listens on: the request cannot be handed to a worker.
  dead = createRedisConnection({ url: `redis://127.0.0.1:${await freePort()}`, role: 'producer' });
  dead.on('error', () => undefined);
  deadProducer = new JobProducer({ connection: dead, prefix: h.queuePrefix, timeoutMs: 1_000 });
  h.deps.producer = deadProducer;
});
afterAll(async () => {
  dead.disconnect();
  await deadProducer.close();
  await h.close();
});

it.each([
  ['a sync request', 'POST', '/sync', { tenantId: 't1' }],
  ['a disconnect', 'DELETE', '?tenantId=t1', undefined],
] as const)(
  'answers %s that cannot be queued with 503, never a success',
  async (_name, method, tail, json) => {
    const connectionId = await seedConnection(h.db.dataSource, { tenantId: 't1' });
    const response = await h.api(`/v1/connections/${connectionId}${tail}`, { method, json });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      code: 'queue_unavailable',
      detail: 'the request could not be queued, retry later',
    });
  },
);
