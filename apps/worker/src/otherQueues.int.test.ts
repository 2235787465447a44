import { randomUUID } from 'node:crypto';
import { handleConnectionEvent } from '@crm-sync/connections';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { createLogger, createMetrics } from '@crm-sync/observability';
import { createRedisConnection, QUEUE_NAMES } from '@crm-sync/queue';
import { refreshConnectionToken } from '@crm-sync/sync-engine';
import { connectSandboxAccount, engineDeps, testAccessTokens } from '@crm-sync/sync-engine/testing';
import { QueueEvents, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createConnectionEventsProcessor } from './connectionEventsProcessor';
import { createTokenRefreshProcessor } from './tokenRefreshProcessor';
import { startWorkers } from './workers';

let h: ConnectionsHarness;
let connection: Redis;
const metrics = createMetrics({ collectDefaults: false });
let workers: Worker[];
const events = new Map<string, QueueEvents>();
const eventClients: Redis[] = [];

beforeAll(async () => {
  h = await createConnectionsHarness();
  connection = createRedisConnection({ url: h.redis.url, role: 'worker' });
  const logger = createLogger({ name: 'worker-test', level: 'silent' });
  // Refresh whenever asked: the margin is longer than any sandbox token lives.
  const deps = engineDeps(h, {}, testAccessTokens(h, 24 * 3600_000));
  const eventDeps = { ...h.deps, intervals: { defaultMs: 60_000, jitterRatio: 0.1 }, batchSize: 100 };
  const limit = { max: 1000, durationMs: 1000 };
  workers = startWorkers({
    connection,
    prefix: h.redis.prefix,
    queues: [QUEUE_NAMES.tokenRefresh, QUEUE_NAMES.connectionEvents],
    concurrency: 2,
    limiters: { 'sync-google': limit, 'sync-microsoft': limit, 'sync-hubspot': limit },
    stalledIntervalMs: 5_000,
    lockDurationMs: 10_000,
    processors: {
      'token-refresh': () =>
        createTokenRefreshProcessor({ refresh: (id) => refreshConnectionToken(deps, id), logger, metrics }),
      'connection-events': () =>
        createConnectionEventsProcessor({
          handle: (event) => handleConnectionEvent(eventDeps, event),
          logger,
        }),
    },
  });
  for (const name of [QUEUE_NAMES.tokenRefresh, QUEUE_NAMES.connectionEvents]) {
    const client = connection.duplicate();
    eventClients.push(client);
    const queueEvents = new QueueEvents(name, { connection: client, prefix: h.redis.prefix });
    await queueEvents.waitUntilReady();
    events.set(name, queueEvents);
  }
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  for (const e of events.values()) await e.close();
  for (const client of eventClients) await client.quit();
  await connection.quit();
  await h.close();
});

async function finished(
  queue: typeof QUEUE_NAMES.tokenRefresh | typeof QUEUE_NAMES.connectionEvents,
  id: string,
) {
  const job = await h.deps.producer.queue(queue).getJob(id);
  return job!.waitUntilFinished(events.get(queue)!, 15_000);
}

describe('worker queues besides sync', () => {
  it('token-refresh: refreshes through the vault and keeps the rotated refresh token', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'microsoft',
      email: 'refresh-job@example.com',
      settings: { refreshRotation: 'rotate' },
    });
    const before = (await h.deps.credentials.load(connectionId))!;
    const id = await h.deps.producer.enqueue(QUEUE_NAMES.tokenRefresh, 'refresh', { connectionId });
    expect(await finished(QUEUE_NAMES.tokenRefresh, id)).toEqual({ kind: 'ok' });
    const after = (await h.deps.credentials.load(connectionId))!;
    expect(after.version).toBe(before.version + 1);
    expect(after.tokens.refreshToken).not.toBe(before.tokens.refreshToken);
  });

  it('token-refresh: a provider outage fails the attempt for a retry with backoff, and shows in metrics', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'hubspot',
      email: 'outage@example.com',
    });
    h.sandbox.control.addFault({
      provider: 'hubspot',
      route: 'oauth.token',
      action: { kind: 'status', status: 503 },
      next: 1,
    });
    const failed = new Promise<string>((resolve) =>
      workers
        .find((w) => w.name === QUEUE_NAMES.tokenRefresh)!
        .once('failed', (_job, error) => resolve(error.name)),
    );
    const id = await h.deps.producer.enqueue(QUEUE_NAMES.tokenRefresh, 'refresh', { connectionId });
    expect(await failed).toBe('SliceRetryError');
    const job = (await h.deps.producer.queue(QUEUE_NAMES.tokenRefresh).getJob(id))!;
    expect([job.attemptsMade, await job.getState()]).toEqual([1, 'delayed']);
    expect(await metrics.render()).toMatch(/crm_sync_token_refreshes_total\{outcome="transient"\} 1/);
    h.sandbox.control.clearFaults();
  });

  it('connection-events: a disconnect request ends the connection', async () => {
    const { connectionId } = await connectSandboxAccount(h, { provider: 'google', email: 'bye@example.com' });
    const event = {
      type: 'connection.disconnect_requested' as const,
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      tenantId: 't1',
      connectionId,
      purge: false,
    };
    const id = await h.deps.producer.enqueue(QUEUE_NAMES.connectionEvents, event.type, event, {
      jobId: event.eventId,
    });
    expect(await finished(QUEUE_NAMES.connectionEvents, id)).toMatchObject({
      handled: 'disconnected',
      changed: true,
    });
    const [row] = await h.db.dataSource.query(`SELECT status FROM connections WHERE id = $1`, [connectionId]);
    expect(row.status).toBe('disconnected');
    expect(await h.deps.credentials.load(connectionId)).toBeNull();
  });
});
