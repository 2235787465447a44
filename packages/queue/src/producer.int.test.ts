import { InvalidPayloadError, syncJobId } from '@crm-sync/core';
import { createTestRedis } from '@crm-sync/testing';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { createRedisConnection, JobProducer, QUEUE_NAMES, SYNC_QUEUES } from './index';

let redis: Awaited<ReturnType<typeof createTestRedis>>;
let producer: JobProducer;
let connection: ReturnType<typeof createRedisConnection>;

beforeAll(async () => {
  redis = await createTestRedis();
  connection = createRedisConnection({ url: redis.url, role: 'producer' });
  producer = new JobProducer({ connection, prefix: redis.prefix });
});

afterAll(async () => {
  await producer.close();
  await connection.quit();
  await redis.cleanup();
});

describe('JobProducer against real Redis', () => {
  it('adds a sync job with ids only and dedupes by job id while it is pending', async () => {
    const data = { connectionId: randomUUID(), resource: 'mail' as const };
    const first = await producer.enqueue(SYNC_QUEUES.google, 'mail', data, { jobId: syncJobId(data) });
    const second = await producer.enqueue(SYNC_QUEUES.google, 'mail', data, { jobId: syncJobId(data) });
    expect(second).toBe(first);
    const queue = producer.queue(SYNC_QUEUES.google);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    const job = await queue.getJob(first);
    expect(job?.data).toEqual(data);
    expect(job?.opts.attempts).toBeGreaterThan(1);
  });

  it('rejects a malformed payload and adds nothing', async () => {
    const bad = { connectionId: randomUUID(), resource: 'mail', accessToken: 'ya29.should-never-be-queued' };
    // Deliberately outside the schema: extra fields must be refused at runtime, not only by the type checker.
    await expect(producer.enqueue(SYNC_QUEUES.microsoft, 'mail', bad as never)).rejects.toBeInstanceOf(
      InvalidPayloadError,
    );
    expect(await producer.queue(SYNC_QUEUES.microsoft).getJobCounts('waiting', 'delayed')).toEqual({
      waiting: 0,
      delayed: 0,
    });
    const keys = await redis.redis.keys(`${redis.prefix}*`);
    for (const key of keys) {
      const type = await redis.redis.type(key);
      if (type === 'hash') expect(JSON.stringify(await redis.redis.hgetall(key))).not.toContain('ya29');
    }
  });

  it('publishes an event with a fresh id and timestamp, refusing a malformed one', async () => {
    const at = new Date('2026-11-24T12:00:00Z');
    const eventId = await producer.publish(
      QUEUE_NAMES.crmNotifications,
      { type: 'connection.status_changed', tenantId: 't1', connectionId: randomUUID(), status: 'revoked' },
      at,
    );
    const job = await producer.queue(QUEUE_NAMES.crmNotifications).getJob(eventId);
    expect(job?.name).toBe('connection.status_changed');
    expect(job?.data).toMatchObject({ eventId, occurredAt: at.toISOString(), status: 'revoked' });
    await expect(
      producer.publish(QUEUE_NAMES.crmNotifications, {
        type: 'connection.status_changed',
        tenantId: 't1',
        connectionId: 'nope',
        status: 'revoked',
      }),
    ).rejects.toBeInstanceOf(InvalidPayloadError);
  });

  it('validates connection events on their queue', async () => {
    const event = {
      type: 'connection.disconnect_requested' as const,
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      tenantId: 't1',
      connectionId: randomUUID(),
      purge: true,
    };
    const id = await producer.enqueue(QUEUE_NAMES.connectionEvents, event.type, event, {
      jobId: event.eventId,
    });
    expect((await producer.queue(QUEUE_NAMES.connectionEvents).getJob(id))?.data).toEqual(event);
    await expect(
      producer.enqueue(QUEUE_NAMES.connectionEvents, 'x', { ...event, purge: 'yes' } as never),
    ).rejects.toBeInstanceOf(InvalidPayloadError);
  });
});

describe('JobProducer.enqueueBulk', () => {
  it('adds many jobs at once, deduping by key', async () => {
    const jobs = Array.from({ length: 50 }, () => {
      const payload = { connectionId: randomUUID(), resource: 'contacts' as const };
      return { name: 'contacts', payload, options: { dedupeId: syncJobId(payload) } };
    });
    await producer.enqueueBulk(SYNC_QUEUES.hubspot, jobs);
    await producer.enqueueBulk(SYNC_QUEUES.hubspot, jobs.slice(0, 10));
    expect(await producer.queue(SYNC_QUEUES.hubspot).getJobCounts('waiting')).toEqual({ waiting: 50 });
  });

  it('adds nothing when one payload is malformed', async () => {
    const good = { name: 'mail', payload: { connectionId: randomUUID(), resource: 'mail' as const } };
    const bad = { name: 'mail', payload: { connectionId: 'nope', resource: 'mail' as const } };
    const before = await producer.queue(SYNC_QUEUES.google).getJobCounts('waiting');
    await expect(producer.enqueueBulk(SYNC_QUEUES.google, [good, bad])).rejects.toBeInstanceOf(
      InvalidPayloadError,
    );
    expect(await producer.queue(SYNC_QUEUES.google).getJobCounts('waiting')).toEqual(before);
  });

  it('lets a key be enqueued again once its job failed, keeping the failed job for inspection', async () => {
    const payload = { connectionId: randomUUID(), resource: 'calendar' as const };
    const options = { dedupeId: syncJobId(payload) };
    const [first] = await producer.enqueueBulk(SYNC_QUEUES.microsoft, [
      { name: 'calendar', payload, options },
    ]);
    await producer.enqueueBulk(SYNC_QUEUES.microsoft, [{ name: 'calendar', payload, options }]);
    const queue = producer.queue(SYNC_QUEUES.microsoft);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });

    const workerConnection = createRedisConnection({ url: redis.url, role: 'worker' });
    const worker = new Worker(
      SYNC_QUEUES.microsoft,
      async () => {
        throw new UnrecoverableError('provider refused for good');
      },
      { connection: workerConnection, prefix: redis.prefix },
    );
    await new Promise<void>((resolve) => worker.once('failed', () => resolve()));
    await worker.close();
    await workerConnection.quit();

    const [again] = await producer.enqueueBulk(SYNC_QUEUES.microsoft, [
      { name: 'calendar', payload, options },
    ]);
    expect(again).not.toBe(first);
    expect(await queue.getJobCounts('waiting', 'failed')).toEqual({ waiting: 1, failed: 1 });
  });
});
