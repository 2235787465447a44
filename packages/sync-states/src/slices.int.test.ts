import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { syncStates } from './repository';

let db: TestDatabase;
let connectionId: string;
const now = new Date('2026-03-01T10:00:00.000Z');

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
beforeEach(async () => {
  const [row] = await db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id) VALUES ('t', 'u', 'google', $1)
     RETURNING id`,
    [`acct-${Math.random()}`],
  );
  connectionId = row.id;
  await db.dataSource.query(
    `INSERT INTO sync_states (connection_id, resource, mode, cursor, continuation, status, consecutive_failures)
     VALUES ($1, 'mail', 'incremental', 'c1', '{"page":"p2"}', 'running', 2)`,
    [connectionId],
  );
});

const row = async () =>
  (await db.dataSource.query(`SELECT * FROM sync_states WHERE connection_id = $1`, [connectionId]))[0];

describe('sync state writes for each failure kind', () => {
  it('rate_limited: due after the delay for the streak so far, failures untouched', async () => {
    const delay = (streak: number) => streak * 7000;
    const first = await syncStates.recordRateLimited(db.dataSource, connectionId, 'mail', now, delay);
    expect(first).toEqual(new Date(now.getTime() + 7000));
    expect(await row()).toMatchObject({
      status: 'queued',
      consecutive_failures: 2,
      rate_limit_streak: 1,
      next_sync_at: new Date(now.getTime() + 7000),
      cursor: 'c1',
    });
    const second = await syncStates.recordRateLimited(db.dataSource, connectionId, 'mail', now, delay);
    expect(second).toEqual(new Date(now.getTime() + 14_000));
    expect(await row()).toMatchObject({ rate_limit_streak: 2 });
  });

  it('cursor_expired: position back to a fresh full round, the reason recorded', async () => {
    await syncStates.recordCursorReset(db.dataSource, connectionId, 'mail', now);
    expect(await row()).toMatchObject({
      mode: 'full',
      cursor: null,
      continuation: null,
      last_error: 'cursor expired; full resync',
      last_error_at: now,
    });
  });

  it('transient: failures + 1 and the retry time from the backoff of the new count', async () => {
    const seen: number[] = [];
    const result = await syncStates.recordTransient(
      db.dataSource,
      connectionId,
      'mail',
      'transient: HTTP 503',
      now,
      (n) => {
        seen.push(n);
        return 4000;
      },
    );
    expect(seen).toEqual([3]);
    expect(result).toEqual({ failures: 3, retryAt: new Date(now.getTime() + 4000) });
    expect(await row()).toMatchObject({
      status: 'failed',
      consecutive_failures: 3,
      last_error: 'transient: HTTP 503',
      next_sync_at: result.retryAt,
      cursor: 'c1',
    });
  });

  it('permanent: the resource is disabled with its reason; an overlong reason is clipped', async () => {
    await syncStates.disable(db.dataSource, connectionId, 'mail', 'x'.repeat(900), now);
    const state = await row();
    expect(state).toMatchObject({ enabled: false, status: 'disabled', next_sync_at: null });
    expect(state.disabled_reason).toHaveLength(500);
    expect(state.last_error).toMatch(/^permanent: x+…$/);
    expect((await syncStates.loadSlice(db.dataSource, connectionId, 'mail'))?.state?.enabled).toBe(false);
  });

  it('more: a running slice becomes queued', async () => {
    await syncStates.requeue(db.dataSource, connectionId, 'mail');
    expect((await row()).status).toBe('queued');
  });
});

describe('advancePosition', () => {
  const from = { mode: 'incremental' as const, cursor: 'c1', continuation: { page: 'p2' } };
  const base = {
    resource: 'mail' as const,
    from,
    counts: { added: 2, updated: 1, unchanged: 3, deleted: 1 },
    items: 7,
    roundStart: false,
    generation: 0,
    now,
  };

  it('writes only over the position it was fetched from (a second writer loses)', async () => {
    await db.dataSource.query(`UPDATE sync_states SET rate_limit_streak = 3 WHERE connection_id = $1`, [
      connectionId,
    ]);
    const to = { ...from, continuation: { page: 'p3' } };
    const first = await syncStates.advancePosition(db.dataSource, {
      ...base,
      connectionId,
      to,
      caughtUp: null,
    });
    const second = await syncStates.advancePosition(db.dataSource, {
      ...base,
      connectionId,
      to,
      caughtUp: null,
    });
    expect([first, second]).toEqual([{ followUp: false }, null]);
    expect(await row()).toMatchObject({
      continuation: { page: 'p3' },
      consecutive_failures: 0,
      rate_limit_streak: 0,
      status: 'running',
    });
  });

  it('gives no writer the row of an ended connection; an ending waits for a writer holding it', async () => {
    // A writer outside the page order holds the row first (the audit's repair, a write's outcome).
    const writer = db.dataSource.createQueryRunner();
    await writer.connect();
    await writer.startTransaction();
    expect(await syncStates.lockPosition(writer.manager, connectionId, 'mail')).not.toBeNull();
    const order: string[] = [];
    const ending = db.dataSource.transaction(async (manager) => {
      await syncStates.disableConnection(manager, connectionId, 'disconnected');
      order.push('ended');
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    order.push('writer committed');
    await writer.commitTransaction();
    await writer.release();
    await ending;
    // So a purge, which runs after the ending, finds what the writer stored.
    expect(order).toEqual(['writer committed', 'ended']);
    // After the ending neither a page nor another writer may write.
    expect(await syncStates.lockPosition(db.dataSource, connectionId, 'mail')).toBeNull();
    const to = { ...from, continuation: { page: 'p3' } };
    expect(
      await syncStates.advancePosition(db.dataSource, { ...base, connectionId, to, caughtUp: null }),
    ).toBeNull();
  });

  it('a full round start must bring the next generation; a page from a stale generation loses', async () => {
    const fresh = { mode: 'full' as const, cursor: null, continuation: null };
    await db.dataSource.query(
      `UPDATE sync_states SET mode = 'full', cursor = NULL, continuation = NULL, round_generation = 6
        WHERE connection_id = $1`,
      [connectionId],
    );
    const start = { ...base, connectionId, from: fresh, roundStart: true, caughtUp: null };
    const to = { ...fresh, continuation: { page: 'p2' } };
    // Read before another worker began generation 6 from this same position: 5 + 1 is taken.
    expect(await syncStates.advancePosition(db.dataSource, { ...start, to, generation: 6 })).toBeNull();
    expect(await syncStates.advancePosition(db.dataSource, { ...start, to, generation: 7 })).toEqual({
      followUp: false,
    });
    expect(await row()).toMatchObject({ round_generation: '7', continuation: { page: 'p2' } });
  });

  it('finishes a round: incremental, cursor stored, success time, next due time, counters added up', async () => {
    await db.dataSource.query(
      `UPDATE sync_states SET counters = '{"added":10,"updated":0,"unchanged":0,"deleted":0}', items_done = 10
        WHERE connection_id = $1`,
      [connectionId],
    );
    const nextSyncAt = new Date(now.getTime() + 60_000);
    const to = { mode: 'incremental' as const, cursor: 'c2', continuation: null };
    expect(
      await syncStates.advancePosition(db.dataSource, {
        ...base,
        connectionId,
        to,
        caughtUp: { nextSyncAt, pushedNextSyncAt: nextSyncAt },
      }),
    ).toEqual({ followUp: false });
    const state = await row();
    expect(state).toMatchObject({
      mode: 'incremental',
      cursor: 'c2',
      continuation: null,
      phase: 'caught_up',
      status: 'idle',
      last_success_at: now,
      next_sync_at: nextSyncAt,
      counters: { added: 12, updated: 1, unchanged: 3, deleted: 1 },
    });
    expect(Number(state.items_done)).toBe(17);
  });
});
