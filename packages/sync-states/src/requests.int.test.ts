import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import type { PageAdvance } from './types';
import { syncStates } from './repository';

// Requests (a notice, the CRM) against rounds: one follow-up round for any number of requests that came while a
// round ran, none for requests the round started after, and the pushed interval while push covers the resource.

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
  await syncStates.createForConnection(db.dataSource, connectionId, [
    { resource: 'mail', disabledReason: null },
  ]);
  await db.dataSource.query(`UPDATE sync_states SET mode = 'incremental', cursor = 'c1'`);
});

const HOUR = 3_600_000;
const position = { mode: 'incremental' as const, cursor: 'c1', continuation: null };

/** The one page of an incremental round that finds nothing new: it finishes the round. */
const finishingPage = (now: Date): PageAdvance => ({
  connectionId,
  resource: 'mail',
  from: position,
  to: { ...position, cursor: 'c2' },
  counts: { added: 0, updated: 0, unchanged: 0, deleted: 0 },
  items: 0,
  roundStart: true,
  generation: 0,
  caughtUp: {
    nextSyncAt: new Date(now.getTime() + HOUR),
    pushedNextSyncAt: new Date(now.getTime() + 6 * HOUR),
  },
  now,
});

const state = async () => {
  const [row] = await db.dataSource.query(
    `SELECT status, extract(epoch FROM next_sync_at - now()) / 3600 AS due_in_hours FROM sync_states`,
  );
  return { status: row.status as string, dueInHours: Math.round(Number(row.due_in_hours)) };
};

const request = () =>
  syncStates.triggerNow(db.dataSource, { connectionId, resources: ['mail'], full: false });

describe('requests against a running round', () => {
  it('requests while the round runs earn exactly one follow-up, and the resource stays queued for it', async () => {
    await syncStates.markRunning(db.dataSource, connectionId, 'mail', true);
    for (let i = 0; i < 5; i += 1) await request();
    expect(await syncStates.advancePosition(db.dataSource, finishingPage(new Date()))).toEqual({
      followUp: true,
    });
    expect((await state()).status).toBe('queued');
    // The follow-up round begins after every one of them: it finishes with none left.
    await syncStates.markRunning(db.dataSource, connectionId, 'mail', true);
    const follow = { ...finishingPage(new Date()), from: { ...position, cursor: 'c2' } };
    expect(await syncStates.advancePosition(db.dataSource, follow)).toEqual({ followUp: false });
    expect(await state()).toEqual({ status: 'idle', dueInHours: 1 });
  });

  it('a request before the round began is the round it asked for: no follow-up', async () => {
    await request();
    await syncStates.markRunning(db.dataSource, connectionId, 'mail', true);
    expect(await syncStates.advancePosition(db.dataSource, finishingPage(new Date()))).toEqual({
      followUp: false,
    });
  });

  it('a slice continuing a round keeps the round’s start, so a request during an earlier slice still counts', async () => {
    await syncStates.markRunning(db.dataSource, connectionId, 'mail', true);
    await request();
    await syncStates.markRunning(db.dataSource, connectionId, 'mail', false);
    expect(await syncStates.advancePosition(db.dataSource, finishingPage(new Date()))).toEqual({
      followUp: true,
    });
  });

  it('a page that does not finish the round never asks for a follow-up', async () => {
    await syncStates.markRunning(db.dataSource, connectionId, 'mail', true);
    await request();
    const page = {
      ...finishingPage(new Date()),
      to: { ...position, continuation: { page: 2 } },
      caughtUp: null,
    };
    expect(await syncStates.advancePosition(db.dataSource, page)).toEqual({ followUp: false });
    expect((await state()).status).toBe('running');
  });

  it('a position moved by another worker writes nothing and says so', async () => {
    await db.dataSource.query(`UPDATE sync_states SET cursor = 'elsewhere'`);
    expect(await syncStates.advancePosition(db.dataSource, finishingPage(new Date()))).toBeNull();
  });
});

describe('push health and the safety-net poll', () => {
  it('a round finished while a healthy channel covers the resource is due at the pushed interval', async () => {
    await syncStates.setPushUntil(db.dataSource, connectionId, 'mail', new Date(Date.now() + 24 * HOUR));
    await syncStates.advancePosition(db.dataSource, finishingPage(new Date()));
    expect((await state()).dueInHours).toBe(6);
  });

  it('an expired or cleared channel brings back the normal interval', async () => {
    await syncStates.setPushUntil(db.dataSource, connectionId, 'mail', new Date(Date.now() - 1000));
    await syncStates.advancePosition(db.dataSource, finishingPage(new Date()));
    expect((await state()).dueInHours).toBe(1);
  });

  it('the scheduler’s claim picks the pushed delay only while push covers the resource', async () => {
    const next = [{ connectionId, resource: 'mail' as const, delayMs: HOUR, pushedDelayMs: 6 * HOUR }];
    await syncStates.scheduleClaimed(db.dataSource, next);
    expect((await state()).dueInHours).toBe(1);
    await syncStates.setPushUntil(db.dataSource, connectionId, 'mail', new Date(Date.now() + 24 * HOUR));
    await syncStates.scheduleClaimed(db.dataSource, next);
    expect((await state()).dueInHours).toBe(6);
    await syncStates.setPushUntil(db.dataSource, connectionId, 'mail', null);
    await syncStates.scheduleClaimed(db.dataSource, next);
    expect((await state()).dueInHours).toBe(1);
  });
});
