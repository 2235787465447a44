import { relayOutbox } from '@crm-sync/outbox';
import { createRedisConnection, JobProducer, QUEUE_NAMES } from '@crm-sync/queue';
import { freePort } from '@crm-sync/testing';
import { startApp, type AppHarness } from '../test/appHarness';
import { seedConnection } from '../test/seed';

// Issue 20: a request the API accepts is recorded in Postgres with its event (the outbox), so Redis being away
// delays the event and never loses it, and the caller gets its 202 either way.
let h: AppHarness;
let dead: ReturnType<typeof createRedisConnection>;
let deadProducer: JobProducer;
beforeAll(async () => {
  h = await startApp();
  // A Redis nobody listens on.
  dead = createRedisConnection({ url: `redis://127.0.0.1:${await freePort()}`, role: 'producer' });
  dead.on('error', () => undefined);
  deadProducer = new JobProducer({ connection: dead, prefix: h.queuePrefix, timeoutMs: 1_000 });
  deadProducer.queue(QUEUE_NAMES.connectionEvents).on('error', () => undefined);
});
afterAll(async () => {
  dead.disconnect();
  await deadProducer.close();
  await h.close();
});

it.each([
  ['a sync request', 'POST', '/sync', { tenantId: 't1' }, 'sync.requested'],
  ['a disconnect', 'DELETE', '?tenantId=t1', undefined, 'connection.disconnect_requested'],
] as const)(
  'accepts %s while Redis is away and delivers its event once Redis is back',
  async (_name, method, tail, json, type) => {
    const connectionId = await seedConnection(h.db.dataSource, { tenantId: 't1' });
    const response = await h.api(`/v1/connections/${connectionId}${tail}`, { method, json });
    expect(response.status).toBe(202);
    const { eventId } = (await response.json()) as { eventId: string };

    await expect(relayOutbox({ db: h.db.dataSource, producer: deadProducer, batchSize: 10 })).rejects.toThrow(
      /Redis/,
    );
    expect(await h.db.dataSource.query(`SELECT job_id FROM outbox`)).toEqual([{ job_id: eventId }]);

    await h.relay();
    const job = await h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJob(eventId);
    expect(job?.data).toMatchObject({ type, connectionId, tenantId: 't1', eventId });
    expect(await h.db.dataSource.query(`SELECT job_id FROM outbox`)).toEqual([]);
  },
);
