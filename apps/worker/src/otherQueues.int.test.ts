import { randomUUID } from 'node:crypto';
import { handleConnectionEvent } from '@crm-sync/connections';
import {
  createConnectionsHarness,
  deletionDeps,
  type ConnectionsHarness,
} from '@crm-sync/connections/testing';
import { createLogger, createMetrics } from '@crm-sync/observability';
import { createRedisConnection, QUEUE_NAMES } from '@crm-sync/queue';
import { handleWriteEvent } from '@crm-sync/writes';
import { AuditCallBudget, refreshConnectionToken, runAudit, runSlice } from '@crm-sync/sync-engine';
import {
  connectSandboxAccount,
  engineDeps,
  SYNC_CASES,
  tableSnapshot,
  testAccessTokens,
} from '@crm-sync/sync-engine/testing';
import { QueueEvents, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createAuditProcessor } from './auditProcessor';
import { createConnectionEventsProcessor } from './connectionEventsProcessor';
import { writeDeps } from './writeDeps';
import { createTokenRefreshProcessor } from './tokenRefreshProcessor';
import { startWorkers } from './workers';

let h: ConnectionsHarness;
let connection: Redis;
const metrics = createMetrics({ collectDefaults: false });
let workers: Worker[];
let deps: ReturnType<typeof engineDeps>;
const QUEUES = [QUEUE_NAMES.tokenRefresh, QUEUE_NAMES.connectionEvents, QUEUE_NAMES.audit] as const;
const events = new Map<string, QueueEvents>();
const eventClients: Redis[] = [];

beforeAll(async () => {
  h = await createConnectionsHarness();
  connection = createRedisConnection({ url: h.redis.url, role: 'worker' });
  const logger = createLogger({ name: 'worker-test', level: 'silent' });
  // Refresh whenever asked: the margin is longer than any sandbox token lives.
  deps = engineDeps(h, {}, testAccessTokens(h, 24 * 3600_000));
  const budget = new AuditCallBudget({
    redis: h.redis.redis,
    keyPrefix: `${h.redis.prefix}:`,
    callsPerWindow: 100,
    windowMs: 60_000,
  });
  const eventDeps = {
    ...deletionDeps(h),
    intervals: { defaultMs: 60_000, jitterRatio: 0.1 },
    batchSize: 100,
  };
  const limit = { max: 1000, durationMs: 1000 };
  workers = startWorkers({
    connection,
    prefix: h.redis.prefix,
    queues: QUEUES,
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
          handleWrite: (event, options) => handleWriteEvent(writeDeps(deps), event, options),
          logger,
        }),
      audit: () =>
        createAuditProcessor({
          runAudit: (r) => runAudit(deps, r),
          maxCallsPerRun: 50,
          throttle: (provider) => budget.take(provider),
          logger,
          metrics,
        }),
    },
  });
  for (const name of QUEUES) {
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

async function finished(queue: (typeof QUEUES)[number], id: string) {
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

  it('audit: one job audits a resource, deletes its ghost rows, records the counts and shows in metrics', async () => {
    const hubspotDeals = SYNC_CASES.find((c) => c.provider === 'hubspot' && c.resource === 'deals')!;
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'hubspot',
      email: 'audit-job@example.com',
      sizes: { deals: 40 },
      resources: ['deals'],
    });
    expect((await runSlice(deps, { connectionId, resource: 'deals', budgetMs: 30_000 })).kind).toBe(
      'caught_up',
    );
    await h.db.dataSource.query(
      `INSERT INTO crm_objects (connection_id, external_id, content_hash, object_type) VALUES ($1, 'ghost', 'h', 'deals')`,
      [connectionId],
    );
    const data = { connectionId, resource: 'deals' as const };
    const id = await h.deps.producer.enqueue(QUEUE_NAMES.audit, 'deals', data);
    expect(await finished(QUEUE_NAMES.audit, id)).toMatchObject({
      kind: 'audited',
      counts: { listed: 40, missing: 0, ghosts: 1, repaired: 1 },
    });
    expect((await tableSnapshot(h, hubspotDeals, connectionId)).size).toBe(40);
    const rendered = await metrics.render();
    expect(rendered).toMatch(/crm_sync_audits_total\{resource="deals",outcome="audited"\} 1/);
    expect(rendered).toMatch(/crm_sync_audit_items_total\{resource="deals",kind="ghosts"\} 1/);
    expect(rendered).toMatch(/crm_sync_audit_provider_calls_total\{resource="deals"\} 1/);
  });
});
