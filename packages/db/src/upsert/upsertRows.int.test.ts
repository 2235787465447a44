import {
  createTestDatabase,
  insertTestConnection,
  testEmailInput,
  type TestDatabase,
} from '@crm-sync/db/testing';
import { markDeleted } from './markDeleted';
import { calendarEventUpsert, contactUpsert, crmObjectUpsert, emailUpsert, type EmailInput } from './specs';
import { UPSERT_PAGE_SIZE, upsertRows } from './upsertRows';

let db: TestDatabase;
let connectionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  connectionId = await insertTestConnection(db.dataSource);
});
afterAll(() => db.drop());
beforeEach(() => db.dataSource.query('DELETE FROM emails; DELETE FROM crm_objects'));

const email = (externalId: string, overrides: Partial<EmailInput> = {}): EmailInput =>
  testEmailInput(connectionId, externalId, {
    threadId: 't',
    sealed: Buffer.from('s'),
    sentAt: new Date('2026-01-02T03:04:05.678Z'),
    labels: ['INBOX'],
    ...overrides,
  });

const stored = (externalId: string) =>
  db.dataSource
    .query(`SELECT * FROM emails WHERE external_id = $1`, [externalId])
    .then((rows: Record<string, unknown>[]) => rows[0]);

describe('upsertRows', () => {
  it('counts inserted, updated and unchanged rows, and rewrites only changed ones', async () => {
    expect(await upsertRows(db.dataSource, emailUpsert, [email('1'), email('2'), email('3')])).toEqual({
      inserted: 3,
      updated: 0,
      unchanged: 0,
    });
    const before = await stored('1');
    const second = [
      email('1', { sealed: Buffer.from('ignored, same hash') }),
      email('2', { contentHash: 'new', sealed: Buffer.from('x') }),
    ];
    expect(await upsertRows(db.dataSource, emailUpsert, [...second, email('4')])).toEqual({
      inserted: 1,
      updated: 1,
      unchanged: 1,
    });
    expect(await stored('1')).toEqual(before);
    expect(await stored('2')).toMatchObject({ sealed: Buffer.from('x'), content_hash: 'new' });
  });

  it('round-trips arrays, awkward strings, bytes, nulls and timestamps', async () => {
    const awkward = ['with "quotes"', 'back\\slash', 'comma, {brace}', 'NULL', '', 'ünïcode ✓'];
    const terms = [Buffer.from([0, 1, 0x5c, 0x22, 0x7b]), Buffer.alloc(16, 0xff)];
    await upsertRows(db.dataSource, emailUpsert, [
      email('a', { labels: awkward, blindIndex: terms, threadId: null, sentAt: null }),
    ]);
    expect(await stored('a')).toMatchObject({
      labels: awkward,
      sealed: Buffer.from('s'),
      blind_index: terms,
      thread_id: null,
      sent_at: null,
      deleted_at: null,
    });
    await upsertRows(db.dataSource, emailUpsert, [email('b')]);
    expect((await stored('b')).sent_at).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    expect((await stored('b')).blind_index).toEqual([]);
  });

  it('writes the plain content columns empty, and empties them when it rewrites a row that had them', async () => {
    await db.dataSource.query(
      `INSERT INTO emails (connection_id, external_id, content_hash, subject, from_address, to_addresses)
       VALUES ($1, 'old', 'plain-hash', 'plain subject', 'a@example.com', '{b@example.com}')`,
      [connectionId],
    );
    await upsertRows(db.dataSource, emailUpsert, [email('old'), email('new')]);
    for (const id of ['old', 'new'])
      expect(await stored(id)).toMatchObject({
        subject: null,
        from_address: null,
        to_addresses: [],
        body_text: null,
        sealed: Buffer.from('s'),
      });
  });

  it('keys HubSpot objects by type', async () => {
    const deal = {
      connectionId,
      externalId: '123',
      contentHash: 'h',
      seenRound: null,
      objectType: 'deals',
      sealed: Buffer.from('deal'),
      blindIndex: [],
      remoteUpdatedAt: null,
    };
    const company = { ...deal, objectType: 'companies', sealed: Buffer.from('company') };
    expect(await upsertRows(db.dataSource, crmObjectUpsert, [deal, company])).toMatchObject({ inserted: 2 });
    const rows = await db.dataSource.query(
      `SELECT object_type, sealed, properties FROM crm_objects ORDER BY 1`,
    );
    expect(rows).toEqual([
      { object_type: 'companies', sealed: Buffer.from('company'), properties: {} },
      { object_type: 'deals', sealed: Buffer.from('deal'), properties: {} },
    ]);
  });

  it('writes calendar events and contacts through their specs', async () => {
    const common = {
      connectionId,
      externalId: 'e1',
      contentHash: 'h',
      seenRound: null,
      sealed: Buffer.from('s'),
      blindIndex: [Buffer.from('t')],
    };
    await upsertRows(db.dataSource, calendarEventUpsert, [
      {
        ...common,
        calendarId: 'primary',
        startsAt: new Date('2026-02-01T09:00:00Z'),
        endsAt: new Date('2026-02-01T09:15:00Z'),
        allDay: false,
        eventStatus: 'confirmed',
      },
    ]);
    await upsertRows(db.dataSource, contactUpsert, [common]);
    const [event] = await db.dataSource.query(
      `SELECT attendees, title, all_day, ends_at, blind_index FROM calendar_events`,
    );
    expect(event).toEqual({
      attendees: [],
      title: null,
      all_day: false,
      ends_at: new Date('2026-02-01T09:15:00Z'),
      blind_index: [Buffer.from('t')],
    });
    const [contact] = await db.dataSource.query(`SELECT emails, phones, family_name, sealed FROM contacts`);
    expect(contact).toEqual({ emails: [], phones: [], family_name: null, sealed: Buffer.from('s') });
  });

  it('collapses a key repeated in one call to its last row', async () => {
    const counts = await upsertRows(db.dataSource, emailUpsert, [
      email('d', { sealed: Buffer.from('first') }),
      email('d', { sealed: Buffer.from('last'), contentHash: 'h2' }),
    ]);
    expect(counts).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect((await stored('d')).sealed).toEqual(Buffer.from('last'));
  });

  it('splits more rows than a page into several statements', async () => {
    const rows = Array.from({ length: UPSERT_PAGE_SIZE + 7 }, (_, i) => email(`p${i}`));
    expect(await upsertRows(db.dataSource, emailUpsert, rows)).toEqual({
      inserted: rows.length,
      updated: 0,
      unchanged: 0,
    });
    expect(await upsertRows(db.dataSource, emailUpsert, rows)).toMatchObject({ unchanged: rows.length });
  });

  it('leaves nothing behind when its transaction rolls back', async () => {
    const failure = new Error('cursor write failed');
    await expect(
      db.dataSource.transaction(async (manager) => {
        const counts = await upsertRows(manager, emailUpsert, [email('r1'), email('r2')]);
        expect(counts.inserted).toBe(2);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM emails`)).toEqual([{ n: 0 }]);
  });

  it('works through a QueryRunner transaction that commits', async () => {
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await upsertRows(runner, emailUpsert, [email('q1')]);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await stored('q1')).toBeDefined();
  });
});

describe('markDeleted', () => {
  it('marks only live rows of that connection, and a returning row is undeleted', async () => {
    await upsertRows(db.dataSource, emailUpsert, [email('x'), email('y')]);
    expect(await markDeleted(db.dataSource, 'emails', connectionId, ['x', 'never-synced'])).toBe(1);
    expect(await markDeleted(db.dataSource, 'emails', connectionId, ['x'])).toBe(0);
    expect((await stored('x')).deleted_at).toBeInstanceOf(Date);
    expect((await stored('y')).deleted_at).toBeNull();

    expect(await upsertRows(db.dataSource, emailUpsert, [email('x')])).toMatchObject({ updated: 1 });
    expect((await stored('x')).deleted_at).toBeNull();
  });

  it('scopes crm_objects deletions to one object type', async () => {
    const base = {
      connectionId,
      externalId: '7',
      contentHash: 'h',
      seenRound: null,
      sealed: Buffer.from('s'),
      blindIndex: [],
      remoteUpdatedAt: null,
    };
    await upsertRows(db.dataSource, crmObjectUpsert, [
      { ...base, objectType: 'deals' },
      { ...base, objectType: 'companies' },
    ]);
    expect(await markDeleted(db.dataSource, 'crm_objects', connectionId, ['7'], 'deals')).toBe(1);
    const rows = await db.dataSource.query(
      `SELECT object_type, deleted_at IS NOT NULL AS deleted FROM crm_objects ORDER BY 1`,
    );
    expect(rows).toEqual([
      { object_type: 'companies', deleted: false },
      { object_type: 'deals', deleted: true },
    ]);
  });
});
