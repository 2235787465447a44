import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { syncStates } from './repository';

let db: TestDatabase;
let connectionId: string;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
beforeEach(async () => {
  await db.dataSource.query(`DELETE FROM connections`);
  const [row] = await db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id) VALUES ('t', 'u', 'google', 'a')
     RETURNING id`,
  );
  connectionId = row.id;
});

const states = async () =>
  db.dataSource.query(
    `SELECT resource, enabled, status, disabled_reason, mode, cursor, continuation, next_sync_at <= now() AS due
       FROM sync_states WHERE connection_id = $1 ORDER BY resource`,
    [connectionId],
  );

const connect = (resources: Array<'mail' | 'calendar' | 'contacts'>, disabled: Record<string, string> = {}) =>
  syncStates.createForConnection(
    db.dataSource,
    connectionId,
    resources.map((resource) => ({ resource, disabledReason: disabled[resource] ?? null })),
  );

describe('a connection’s resources', () => {
  it('creates one state per requested resource, due now, or disabled with its reason', async () => {
    await connect(['mail', 'calendar'], { calendar: 'scopes not granted: calendar' });
    expect(await states()).toMatchObject([
      {
        resource: 'calendar',
        enabled: false,
        status: 'disabled',
        disabled_reason: 'scopes not granted: calendar',
      },
      { resource: 'mail', enabled: true, status: 'idle', disabled_reason: null, mode: 'full', due: true },
    ]);
  });

  it('a reconnect re-enables, keeps the cursor and stops the resources no longer requested', async () => {
    await connect(['mail', 'contacts']);
    await syncStates.disableConnection(db.dataSource, connectionId, 'token revoked');
    await db.dataSource.query(`UPDATE sync_states SET mode = 'incremental', cursor = 'c9'`);
    await connect(['mail']);
    expect(await states()).toMatchObject([
      { resource: 'contacts', enabled: false, status: 'disabled', disabled_reason: 'not requested' },
      { resource: 'mail', enabled: true, status: 'idle', disabled_reason: null, cursor: 'c9', due: true },
    ]);
  });

  it('disableConnection stops every resource: reason, no continuation, nothing due', async () => {
    await connect(['mail', 'calendar']);
    await db.dataSource.query(`UPDATE sync_states SET continuation = '{"page":"p2"}'`);
    await syncStates.disableConnection(db.dataSource, connectionId, 'disconnected by the user');
    const rows = await db.dataSource.query(
      `SELECT enabled, status, disabled_reason, continuation, next_sync_at FROM sync_states WHERE connection_id = $1`,
      [connectionId],
    );
    expect(rows).toEqual([
      {
        enabled: false,
        status: 'disabled',
        disabled_reason: 'disconnected by the user',
        continuation: null,
        next_sync_at: null,
      },
      {
        enabled: false,
        status: 'disabled',
        disabled_reason: 'disconnected by the user',
        continuation: null,
        next_sync_at: null,
      },
    ]);
  });
});

describe('due syncs', () => {
  it('two claims side by side split the due rows (SKIP LOCKED), and scheduleClaimed moves them on', async () => {
    await connect(['mail', 'calendar', 'contacts']);
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const first = await syncStates.claimDue(runner.manager, 2);
      const second = await db.dataSource.transaction((m) => syncStates.claimDue(m, 10));
      expect(first).toHaveLength(2);
      expect(second).toHaveLength(1);
      expect(new Set([...first, ...second].map((d) => d.resource))).toEqual(
        new Set(['mail', 'calendar', 'contacts']),
      );
      expect(first[0]).toMatchObject({ connectionId, provider: 'google' });
      await syncStates.scheduleClaimed(
        runner.manager,
        first.map((d) => ({ connectionId: d.connectionId, resource: d.resource, delayMs: 60_000 })),
      );
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    const [due] = await db.dataSource.query(
      `SELECT count(*)::int AS queued FROM sync_states
        WHERE status = 'queued' AND next_sync_at BETWEEN now() + interval '59 seconds' AND now() + interval '61 seconds'`,
    );
    expect(due.queued).toBe(2);
  });

  it('claims nothing of an inactive connection or a disabled resource', async () => {
    await connect(['mail', 'calendar'], { calendar: 'scopes not granted: calendar' });
    expect(await db.dataSource.transaction((m) => syncStates.claimDue(m, 10))).toHaveLength(1);
    await db.dataSource.query(`UPDATE connections SET status = 'needs_reauth'`);
    expect(await db.dataSource.transaction((m) => syncStates.claimDue(m, 10))).toEqual([]);
  });

  it('triggerNow makes enabled resources due; full drops their cursors', async () => {
    await connect(['mail', 'contacts']);
    await db.dataSource.query(
      `UPDATE sync_states SET mode = 'incremental', cursor = 'c1', next_sync_at = now() + interval '1 hour'`,
    );
    await syncStates.triggerNow(db.dataSource, { connectionId, resources: ['mail'], full: true });
    expect(await states()).toMatchObject([
      { resource: 'contacts', mode: 'incremental', cursor: 'c1', due: false },
      { resource: 'mail', mode: 'full', cursor: null, due: true },
    ]);
    await syncStates.triggerNow(db.dataSource, { connectionId, full: false });
    expect(await states()).toMatchObject([
      { resource: 'contacts', mode: 'incremental', cursor: 'c1', due: true },
      { resource: 'mail', mode: 'full', due: true },
    ]);
  });
});

describe('a slice', () => {
  it('markRunning, then roundSummary reads what the round added up', async () => {
    await connect(['mail']);
    await syncStates.markRunning(db.dataSource, connectionId, 'mail', true);
    expect(await states()).toMatchObject([{ status: 'running' }]);
    const position = { mode: 'full' as const, cursor: null, continuation: null };
    const advanced = await syncStates.advancePosition(db.dataSource, {
      connectionId,
      resource: 'mail',
      from: position,
      to: { ...position, continuation: { page: 'p2' } },
      counts: { added: 3, updated: 0, unchanged: 1, deleted: 0 },
      items: 4,
      roundStart: true,
      generation: 1,
      caughtUp: null,
      now: new Date(),
    });
    expect(advanced).toEqual({ followUp: false });
    expect(await syncStates.roundSummary(db.dataSource, connectionId, 'mail')).toMatchObject({
      counters: { added: 3, updated: 0, unchanged: 1, deleted: 0 },
      pages: 1,
    });
    expect((await syncStates.roundSummary(db.dataSource, connectionId, 'calendar')).counters).toEqual({});
  });
});
