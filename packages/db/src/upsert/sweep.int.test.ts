import {
  createTestDatabase,
  insertTestConnection,
  testEmailInput,
  type TestDatabase,
} from '@crm-sync/db/testing';
import { calendarEventUpsert, crmObjectUpsert, emailUpsert, type EmailInput } from './specs';
import { sweepUnseen } from './sweep';
import { upsertRows } from './upsertRows';

let db: TestDatabase;
let connectionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  connectionId = await insertTestConnection(db.dataSource);
});
afterAll(() => db.drop());
beforeEach(() =>
  db.dataSource.query('DELETE FROM emails; DELETE FROM crm_objects; DELETE FROM calendar_events'),
);

const SEALED = { sealed: Buffer.from('sealed'), blindIndex: [] };
const DAY = 86_400_000;
const now = Date.parse('2026-03-01T00:00:00Z');
const email = (
  externalId: string,
  seenRound: number | null,
  sentAt: Date | null = new Date(now),
): EmailInput => testEmailInput(connectionId, externalId, { seenRound, sentAt });

const live = async (table = 'emails') =>
  (
    (await db.dataSource.query(
      `SELECT external_id FROM ${table} WHERE deleted_at IS NULL ORDER BY external_id`,
    )) as Array<{ external_id: string }>
  ).map((r) => r.external_id);

describe('round generations in upsertRows', () => {
  it('an unchanged row of another generation gets only seen_round, and counts as unchanged', async () => {
    await upsertRows(db.dataSource, emailUpsert, [email('a', 1), email('b', 1)]);
    const [before] = await db.dataSource.query(`SELECT updated_at FROM emails WHERE external_id = 'a'`);
    const counts = await upsertRows(db.dataSource, emailUpsert, [
      email('a', 2),
      { ...email('b', 2), sealed: Buffer.from('new'), contentHash: 'changed' },
      email('c', 2),
    ]);
    expect(counts).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
    const rows = await db.dataSource.query(
      `SELECT external_id, seen_round::int AS seen, updated_at FROM emails ORDER BY external_id`,
    );
    expect(rows.map((r: { external_id: string; seen: number }) => [r.external_id, r.seen])).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 2],
    ]);
    expect(rows[0].updated_at).toEqual(before.updated_at);
    expect(await upsertRows(db.dataSource, emailUpsert, [email('a', 2)])).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 1,
    });
  });
});

describe('sweepUnseen', () => {
  it('marks deleted the live rows another generation left, and only those', async () => {
    await upsertRows(db.dataSource, emailUpsert, [email('old', null), email('gone', 1), email('kept', 2)]);
    expect(await sweepUnseen(db.dataSource, 'emails', { connectionId, generation: 2 })).toBe(2);
    expect(await live()).toEqual(['kept']);
    expect(await sweepUnseen(db.dataSource, 'emails', { connectionId, generation: 2 })).toBe(0);
  });

  it('with a window, sweeps only rows dated inside it; rows without a date stay', async () => {
    await upsertRows(db.dataSource, emailUpsert, [
      email('ancient', 1, new Date(now - 100 * DAY)),
      email('recent', 1, new Date(now - DAY)),
      email('undated', 1, null),
      email('listed', 2, new Date(now - DAY)),
    ]);
    const window = { after: new Date(now - 90 * DAY), before: null };
    expect(await sweepUnseen(db.dataSource, 'emails', { connectionId, generation: 2, window })).toBe(1);
    expect(await live()).toEqual(['ancient', 'listed', 'undated']);
  });

  it('bounds calendar windows by the start, on both sides', async () => {
    const event = (externalId: string, startsAt: number) => ({
      connectionId,
      externalId,
      contentHash: 'h',
      seenRound: 1,
      ...SEALED,
      calendarId: null,
      startsAt: new Date(startsAt),
      endsAt: null,
      allDay: false,
      eventStatus: null,
    });
    await upsertRows(db.dataSource, calendarEventUpsert, [
      event('before', now - 40 * DAY),
      event('inside', now),
      event('after', now + 400 * DAY),
    ]);
    const window = { after: new Date(now - 30 * DAY), before: new Date(now + 365 * DAY) };
    expect(await sweepUnseen(db.dataSource, 'calendar_events', { connectionId, generation: 2, window })).toBe(
      1,
    );
    expect(await live('calendar_events')).toEqual(['after', 'before']);
  });

  it('scopes crm_objects to the object type, and refuses to sweep them without one', async () => {
    const base = { connectionId, contentHash: 'h', seenRound: 1, ...SEALED, remoteUpdatedAt: null };
    await upsertRows(db.dataSource, crmObjectUpsert, [
      { ...base, externalId: '1', objectType: 'deals' },
      { ...base, externalId: '1', objectType: 'companies' },
    ]);
    const scope = { connectionId, generation: 2 };
    await expect(sweepUnseen(db.dataSource, 'crm_objects', scope)).rejects.toThrow(/objectType/);
    expect(await sweepUnseen(db.dataSource, 'crm_objects', { ...scope, objectType: 'deals' })).toBe(1);
    const rows = await db.dataSource.query(
      `SELECT object_type FROM crm_objects WHERE deleted_at IS NULL ORDER BY object_type`,
    );
    expect(rows).toEqual([{ object_type: 'companies' }]);
  });
});
