import { seedSyncStates, setSyncStates } from '@crm-sync/sync-states/testing';
import {
  createRedisConnection,
  QueueUnavailableError,
  JobProducer,
  QUEUE_NAMES,
  SYNC_QUEUES,
} from '@crm-sync/queue';
import { createTestDatabase, createTestRedis, deleteUnder } from '@crm-sync/testing';
import {
  dispatchDueAudits,
  dispatchDueSyncs,
  dispatchTokenRefreshes,
  triggerSync,
  type SyncIntervals,
} from './index';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
const connections: ReturnType<typeof createRedisConnection>[] = [];
const producers: JobProducer[] = [];

const intervals: SyncIntervals = {
  defaultMs: 300_000,
  overrides: { 'hubspot.deals': 900_000 },
  jitterRatio: 0.1,
};

function newProducer(): JobProducer {
  const connection = createRedisConnection({ url: redis.url, role: 'producer' });
  const producer = new JobProducer({ connection, prefix: redis.prefix });
  connections.push(connection);
  producers.push(producer);
  return producer;
}

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
});
afterAll(async () => {
  await Promise.all(producers.map((p) => p.close()));
  await Promise.all(connections.map((c) => c.quit()));
  await Promise.all([redis.cleanup(), db.drop()]);
});
beforeEach(async () => {
  await db.dataSource.query('TRUNCATE connections CASCADE');
  await deleteUnder(redis.redis, redis.prefix);
});

/** `count` connections of a provider with one sync state per resource, due `dueInSeconds` from now. */
async function seed(
  provider: string,
  resources: string[],
  count: number,
  dueInSeconds: number,
  status = 'active',
) {
  const connections = (await db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
     SELECT 't', 'u' || i, $1, $1 || '-' || i || '-' || $3::text || '-' || random(), $4
       FROM generate_series(1, $2) AS i RETURNING id`,
    [provider, count, dueInSeconds, status],
  )) as Array<{ id: string }>;
  const nextSyncAt = new Date(Date.now() + dueInSeconds * 1_000);
  await seedSyncStates(
    db.dataSource,
    connections.flatMap(({ id }) =>
      resources.map((resource) => ({ connectionId: id, resource, nextSyncAt })),
    ),
  );
}

const waiting = async (queue: string) =>
  (
    await newProducer()
      .queue(queue as never)
      .getJobCounts('waiting')
  ).waiting;

describe('dispatchDueAudits', () => {
  it('enqueues each synced resource one audit interval after its last full round, once, then every interval', async () => {
    await seed('google', ['mail'], 6, 60);
    const ids = (
      (await db.dataSource.query(`SELECT id FROM connections ORDER BY id`)) as Array<{ id: string }>
    ).map((c) => c.id);
    const DAY = 86_400_000;
    const [due, recent, unsynced] = [ids.slice(0, 3), ids.slice(3, 5), ids.slice(5)];
    await setSyncStates(
      db.dataSource,
      { connectionIds: due },
      { mode: 'incremental', fullRoundAt: new Date(Date.now() - 2 * DAY) },
    );
    await setSyncStates(
      db.dataSource,
      { connectionIds: recent },
      { mode: 'incremental', fullRoundAt: new Date(Date.now() - 3_600_000) },
    );
    // Still in its first full round: nothing to audit yet.
    await setSyncStates(
      db.dataSource,
      { connectionIds: unsynced },
      { mode: 'full', fullRoundAt: new Date(Date.now() - 2 * DAY) },
    );
    const deps = {
      db: db.dataSource,
      producer: newProducer(),
      auditIntervalMs: DAY,
      jitterRatio: 0.1,
      batchSize: 2,
    };

    expect(await dispatchDueAudits(deps)).toEqual({ enqueued: 3 });
    expect(await waiting(QUEUE_NAMES.audit)).toBe(3);
    expect(await dispatchDueAudits(deps)).toEqual({ enqueued: 0 });
    const [spread] = (await db.dataSource.query(
      `SELECT min(extract(epoch FROM audit_due_at - now())) AS lo, max(extract(epoch FROM audit_due_at - now())) AS hi,
              count(audit_due_at)::int AS scheduled
         FROM sync_states`,
    )) as Array<{ lo: string; hi: string; scheduled: number }>;
    expect(spread!.scheduled).toBe(3);
    expect(Number(spread!.lo)).toBeGreaterThan(DAY / 1000 - 60);
    expect(Number(spread!.hi)).toBeLessThanOrEqual((1.1 * DAY) / 1000);
  });
});

describe('dispatchDueSyncs', () => {
  it('enqueues each due, enabled sync of an active connection exactly once and moves its due time', async () => {
    await seed('google', ['mail', 'calendar'], 30, -5);
    await seed('hubspot', ['deals'], 10, -5);
    await seed('google', ['mail'], 7, 60); // not due yet
    await seed('microsoft', ['mail'], 5, -5, 'needs_reauth');
    const firstThree = (await db.dataSource.query(
      `SELECT id FROM connections ORDER BY id LIMIT 3`,
    )) as Array<{
      id: string;
    }>;
    await setSyncStates(
      db.dataSource,
      { resource: 'calendar', connectionIds: firstThree.map((c) => c.id) },
      { enabled: false },
    );
    const disabled = Number(
      (await db.dataSource.query(`SELECT count(*) FROM sync_states WHERE NOT enabled`))[0].count,
    );
    const deps = { db: db.dataSource, producer: newProducer(), intervals, batchSize: 16 };

    expect(await dispatchDueSyncs(deps)).toEqual({ enqueued: 60 - disabled + 10 });
    expect(await waiting(SYNC_QUEUES.google)).toBe(60 - disabled);
    expect(await waiting(SYNC_QUEUES.hubspot)).toBe(10);
    expect(await waiting(SYNC_QUEUES.microsoft)).toBe(0);
    expect(await dispatchDueSyncs(deps)).toEqual({ enqueued: 0 });

    const spread = await db.dataSource.query(
      `SELECT c.provider, s.resource, min(extract(epoch FROM s.next_sync_at - now())) AS lo,
              max(extract(epoch FROM s.next_sync_at - now())) AS hi
         FROM sync_states s JOIN connections c ON c.id = s.connection_id
        WHERE s.status = 'queued' GROUP BY 1, 2`,
    );
    const bounds = Object.fromEntries(
      spread.map((r: { provider: string; resource: string; lo: string; hi: string }) => [
        `${r.provider}.${r.resource}`,
        [Number(r.lo), Number(r.hi)],
      ]),
    );
    expect(bounds['google.mail'][0]).toBeGreaterThan(295);
    expect(bounds['google.mail'][1]).toBeLessThanOrEqual(330);
    expect(bounds['hubspot.deals'][0]).toBeGreaterThan(895);
    expect(bounds['google.mail'][1] - bounds['google.mail'][0]).toBeGreaterThan(1); // jitter spreads them
  });

  it('three schedulers at once enqueue every due sync once, with no duplicates', async () => {
    await seed('microsoft', ['mail', 'calendar', 'contacts'], 400, -1);
    const runs = await Promise.all(
      [1, 2, 3].map(() =>
        dispatchDueSyncs({ db: db.dataSource, producer: newProducer(), intervals, batchSize: 50 }),
      ),
    );
    expect(runs.reduce((sum, r) => sum + r.enqueued, 0)).toBe(1_200);
    expect(runs.filter((r) => r.enqueued > 0).length).toBeGreaterThan(1);
    const jobs = await newProducer().queue(SYNC_QUEUES.microsoft).getJobs(['waiting'], 0, -1);
    const keys = new Set(jobs.map((j) => `${j.data.connectionId}.${j.data.resource}`));
    expect([jobs.length, keys.size]).toEqual([1_200, 1_200]);
  });

  it('does not double a sync whose job is still pending, and re-enqueues everything due after Redis lost it', async () => {
    await seed('hubspot', ['contacts', 'companies'], 25, -1);
    const deps = { db: db.dataSource, producer: newProducer(), intervals, batchSize: 100 };
    await dispatchDueSyncs(deps);
    await setSyncStates(db.dataSource, {}, { nextSyncAt: { inSeconds: -1 } });
    expect(await dispatchDueSyncs(deps)).toEqual({ enqueued: 50 });
    expect(await waiting(SYNC_QUEUES.hubspot)).toBe(50);

    await deleteUnder(redis.redis, redis.prefix);
    await setSyncStates(db.dataSource, {}, { nextSyncAt: { inSeconds: -1 } });
    expect(await dispatchDueSyncs(deps)).toEqual({ enqueued: 50 });
    expect(await waiting(SYNC_QUEUES.hubspot)).toBe(50);
  });

  it('leaves rows due when Redis refuses the jobs', async () => {
    await seed('google', ['mail'], 5, -1);
    const connection = createRedisConnection({ url: 'redis://127.0.0.1:1', role: 'producer' });
    connection.on('error', () => undefined);
    const broken = new JobProducer({ connection, prefix: redis.prefix, timeoutMs: 300 });
    const queue = broken.queue(SYNC_QUEUES.google);
    queue.on('error', () => undefined);
    await expect(
      dispatchDueSyncs({ db: db.dataSource, producer: broken, intervals, batchSize: 10 }),
    ).rejects.toBeInstanceOf(QueueUnavailableError);
    connection.disconnect();
    await queue.close().catch(() => undefined);
    const due = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM sync_states WHERE next_sync_at <= now()`,
    );
    expect(due[0].n).toBe(5);
  });
});

describe('dispatchTokenRefreshes', () => {
  it('enqueues one refresh per active connection whose token expires within the margin', async () => {
    await seed('microsoft', ['mail'], 12, 3600);
    await db.dataSource.query(
      `INSERT INTO credentials (connection_id, key_id, sealed, expires_at)
       SELECT id, 'k', '\\x00', now() + make_interval(secs => (row_number() OVER (ORDER BY id))::int * 30)
         FROM connections`,
    );
    await db.dataSource.query(
      `UPDATE connections SET status = 'needs_reauth' WHERE id = (SELECT connection_id FROM credentials ORDER BY expires_at LIMIT 1)`,
    );
    const deps = { db: db.dataSource, producer: newProducer(), marginMs: 200_000, batchSize: 2 };
    // Expiring at 30..360 s; a 200 s margin covers the first six, one of which needs re-authentication.
    expect(await dispatchTokenRefreshes(deps)).toEqual({ enqueued: 5 });
    expect(await dispatchTokenRefreshes(deps)).toEqual({ enqueued: 5 });
    expect(await waiting(QUEUE_NAMES.tokenRefresh)).toBe(5);
  });
});

describe('triggerSync', () => {
  it('enqueues a connection at once and, when full, drops its cursors', async () => {
    await seed('google', ['mail', 'calendar', 'contacts'], 2, 3600);
    await setSyncStates(db.dataSource, {}, { mode: 'incremental', cursor: '123' });
    const [{ id }] = await db.dataSource.query(`SELECT id FROM connections ORDER BY id LIMIT 1`);
    const deps = { db: db.dataSource, producer: newProducer(), intervals, batchSize: 10 };

    expect(
      await triggerSync(deps, { connectionId: id, resources: ['mail', 'contacts'], full: true }),
    ).toEqual({
      enqueued: 2,
    });
    const states = await db.dataSource.query(
      `SELECT connection_id = $1 AS mine, resource, mode, cursor FROM sync_states ORDER BY 1 DESC, 2`,
      [id],
    );
    expect(states.slice(0, 3)).toEqual([
      { mine: true, resource: 'calendar', mode: 'incremental', cursor: '123' },
      { mine: true, resource: 'contacts', mode: 'full', cursor: null },
      { mine: true, resource: 'mail', mode: 'full', cursor: null },
    ]);
    expect(states.slice(3).every((s: { cursor: string }) => s.cursor === '123')).toBe(true);
    // All three are handed to the queue; the two still pending are dropped there by their dedupe keys.
    expect(await triggerSync(deps, { connectionId: id, full: false })).toEqual({ enqueued: 3 });
    expect(await waiting(SYNC_QUEUES.google)).toBe(3);
  });
});
