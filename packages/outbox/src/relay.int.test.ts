import { InvalidPayloadError } from '@crm-sync/core';
import { createRedisConnection, JobProducer, QUEUE_NAMES, QueueUnavailableError } from '@crm-sync/queue';
import {
  createTestDatabase,
  createTestRedis,
  startOwnRedis,
  type OwnRedisServer,
  type TestDatabase,
  type TestRedis,
} from '@crm-sync/testing';
import { randomUUID } from 'node:crypto';
import { outboxStats, publishInTransaction, relayOutbox } from './index';

let db: TestDatabase;
let redis: TestRedis;
let connection: ReturnType<typeof createRedisConnection>;
let producer: JobProducer;

beforeAll(async () => {
  db = await createTestDatabase();
  redis = await createTestRedis();
  connection = createRedisConnection({ url: redis.url, role: 'producer' });
  producer = new JobProducer({ connection, prefix: redis.prefix });
});
afterAll(async () => {
  await producer.close();
  await connection.quit();
  await redis.cleanup();
  await db.drop();
});
beforeEach(() => db.dataSource.query('DELETE FROM outbox'));

const notification = () => ({
  type: 'connection.status_changed' as const,
  tenantId: 't1',
  connectionId: randomUUID(),
  status: 'revoked' as const,
});
const pending = async () =>
  (await db.dataSource.query(`SELECT job_id FROM outbox WHERE parked_at IS NULL ORDER BY id`)).map(
    (r: { job_id: string }) => r.job_id,
  );
const notifications = () => producer.queue(QUEUE_NAMES.crmNotifications);

describe('publishInTransaction', () => {
  it('records an event only if its transaction commits, and the relay then hands it over once', async () => {
    const event = notification();
    const at = new Date('2026-12-01T10:00:00Z');
    const eventId = await db.dataSource.transaction((m) =>
      publishInTransaction(m, QUEUE_NAMES.crmNotifications, event, at),
    );
    await expect(
      db.dataSource.transaction(async (m) => {
        await publishInTransaction(m, QUEUE_NAMES.crmNotifications, notification());
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await pending()).toEqual([eventId]);

    expect(await relayOutbox({ db: db.dataSource, producer, batchSize: 10 })).toEqual({
      relayed: 1,
      parked: 0,
    });
    expect(await pending()).toEqual([]);
    const job = await notifications().getJob(eventId);
    expect(job?.name).toBe('connection.status_changed');
    expect(job?.data).toEqual({ ...event, eventId, occurredAt: at.toISOString() });
    expect(await relayOutbox({ db: db.dataSource, producer, batchSize: 10 })).toEqual({
      relayed: 0,
      parked: 0,
    });
  });

  it('refuses a malformed event, failing the transaction it was part of', async () => {
    await expect(
      db.dataSource.transaction((m) =>
        publishInTransaction(m, QUEUE_NAMES.crmNotifications, { ...notification(), connectionId: 'nope' }),
      ),
    ).rejects.toBeInstanceOf(InvalidPayloadError);
    expect(await pending()).toEqual([]);
  });

  it('keeps a given event id, recording a repeated one once', async () => {
    const event = {
      type: 'sync.requested' as const,
      eventId: randomUUID(),
      occurredAt: '2026-12-01T10:00:00.000Z',
      tenantId: 't1',
      connectionId: randomUUID(),
      full: false,
    };
    for (let i = 0; i < 2; i++) {
      await db.dataSource.transaction((m) => publishInTransaction(m, QUEUE_NAMES.connectionEvents, event));
    }
    expect(await pending()).toEqual([event.eventId]);
  });
});

describe('relayOutbox', () => {
  it('delivers every row exactly once with several relays at work, in order per relay', async () => {
    const ids = await db.dataSource.transaction(async (m) => {
      const out: string[] = [];
      for (let i = 0; i < 60; i++)
        out.push(await publishInTransaction(m, QUEUE_NAMES.crmNotifications, notification()));
      return out;
    });
    const before = (await notifications().getJobCounts('waiting')).waiting;
    const relays = await Promise.all(
      [1, 2, 3].map(async () => {
        let total = 0;
        for (;;) {
          const { relayed } = await relayOutbox({ db: db.dataSource, producer, batchSize: 7 });
          if (relayed === 0) return total;
          total += relayed;
        }
      }),
    );
    expect(relays.reduce((a, b) => a + b, 0)).toBe(60);
    expect((await notifications().getJobCounts('waiting')).waiting - before).toBe(60);
    for (const id of ids) expect(await notifications().getJob(id)).toBeDefined();
  });

  it('parks a row its queue no longer accepts, and relays the others', async () => {
    const good = await db.dataSource.transaction((m) =>
      publishInTransaction(m, QUEUE_NAMES.crmNotifications, notification()),
    );
    await db.dataSource.query(
      `INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('crm-notifications', 'x', 'bad-1', '{"type":"x"}')`,
    );
    expect(await relayOutbox({ db: db.dataSource, producer, batchSize: 10 })).toEqual({
      relayed: 1,
      parked: 1,
    });
    expect(await notifications().getJob(good)).toBeDefined();
    expect(await notifications().getJob('bad-1')).toBeUndefined();
    const [parked] = await db.dataSource.query(`SELECT last_error FROM outbox WHERE job_id = 'bad-1'`);
    expect(parked.last_error).toMatch(/^invalid outbox row/);
    expect(await outboxStats(db.dataSource)).toEqual({ depth: 0, parked: 1, oldestAgeSeconds: 0 });
  });

  it('reports the depth and the age of the oldest waiting row', async () => {
    await db.dataSource.transaction((m) =>
      publishInTransaction(m, QUEUE_NAMES.crmNotifications, notification()),
    );
    await db.dataSource.query(`UPDATE outbox SET created_at = now() - interval '90 seconds'`);
    await db.dataSource.transaction((m) =>
      publishInTransaction(m, QUEUE_NAMES.crmNotifications, notification()),
    );
    const stats = await outboxStats(db.dataSource);
    expect(stats).toMatchObject({ depth: 2, parked: 0 });
    expect(stats.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(stats.oldestAgeSeconds).toBeLessThan(120);
  });
});

describe('a Redis outage between the commit and the publish', () => {
  let own: OwnRedisServer;
  let ownConnection: ReturnType<typeof createRedisConnection>;
  let ownProducer: JobProducer;
  beforeAll(async () => {
    own = await startOwnRedis();
    ownConnection = createRedisConnection({ url: own.url, role: 'producer' });
    ownConnection.on('error', () => undefined);
    ownProducer = new JobProducer({ connection: ownConnection, prefix: redis.prefix, timeoutMs: 1_000 });
    ownProducer.queue(QUEUE_NAMES.crmNotifications).on('error', () => undefined);
  });
  afterAll(async () => {
    await ownProducer.close();
    ownConnection.disconnect();
    await own.stop();
  });

  it('delays the notification and never loses it', async () => {
    const deps = { db: db.dataSource, producer: ownProducer, batchSize: 10 };
    const eventId = await db.dataSource.transaction((m) =>
      publishInTransaction(m, QUEUE_NAMES.crmNotifications, notification()),
    );
    await own.stop();
    await expect(relayOutbox(deps)).rejects.toBeInstanceOf(QueueUnavailableError);
    await expect(relayOutbox(deps)).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(await pending()).toEqual([eventId]);

    await own.restart();
    // ioredis reconnects on its own; the first passes may still find it reconnecting.
    let result = { relayed: 0, parked: 0 };
    for (let i = 0; i < 50 && result.relayed === 0; i++) {
      result = await relayOutbox(deps).catch(() => ({ relayed: 0, parked: 0 }));
      if (result.relayed === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(result).toEqual({ relayed: 1, parked: 0 });
    expect(await pending()).toEqual([]);
    expect((await ownProducer.queue(QUEUE_NAMES.crmNotifications).getJob(eventId))?.data.eventId).toBe(
      eventId,
    );
  });
});
