import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { markDeleted } from '@crm-sync/db';
import type { ContentKeys } from '@crm-sync/vault';
import {
  contact,
  email,
  event,
  horizonPassed,
  insertConnection,
  readerTestKeys,
  task,
  writeSealed,
} from '../test';
import {
  ConnectionNotFoundError,
  ContentReader,
  ContentShreddedError,
  InvalidCursorError,
  InvalidFilterError,
  SealedContentError,
  type Item,
  type Kind,
} from '.';

// @crm-sync/reader over real Postgres (docs/read-api.md): tenant-bound, decrypting, blind index lookups, the change
// feed's deletions, refused ciphertext that was altered or moved, and shredded connections.

let db: TestDatabase;
let keys: ContentKeys;
let reader: Pick<ContentReader, 'read'>;
let alice: string;
let bob: string;
let other: string;

const live = <K extends Kind>(items: Item<K>[]) => items.flatMap((i) => (i.deleted ? [] : [i.record]));

beforeAll(async () => {
  db = await createTestDatabase();
  keys = readerTestKeys(db.dataSource);
  const inner = new ContentReader({ db: db.dataSource, keys });
  // Each read waits for the horizon to pass what the test wrote: other suites' transactions may hold it back.
  reader = {
    read: async (kind, request) => {
      await horizonPassed(db.dataSource);
      return inner.read(kind, request);
    },
  };
  alice = await insertConnection(db.dataSource, 't-a', 'alice');
  bob = await insertConnection(db.dataSource, 't-a', 'bob');
  other = await insertConnection(db.dataSource, 't-b', 'alice');
  await writeSealed(db.dataSource, keys, { connectionId: alice, tenantId: 't-a' }, 'emails', [
    email('m1', { fromAddress: 'Carol@Example.com', subject: 'Quarterly numbers' }),
    email('m2', { toAddresses: ['dave@example.com', 'carol@example.com'] }),
    email('m3', { sentAt: new Date('2026-10-01T00:00:00Z') }),
  ]);
  await writeSealed(db.dataSource, keys, { connectionId: alice, tenantId: 't-a' }, 'calendar_events', [
    event('e1'),
    event('e2', { startsAt: new Date('2026-12-01T09:00:00Z'), endsAt: new Date('2026-12-01T10:00:00Z') }),
  ]);
  await writeSealed(db.dataSource, keys, { connectionId: bob, tenantId: 't-a' }, 'contacts', [contact('c1')]);
  await writeSealed(db.dataSource, keys, { connectionId: other, tenantId: 't-b' }, 'emails', [
    email('x1', { fromAddress: 'carol@example.com' }),
  ]);
});

afterAll(async () => {
  await db?.drop();
});

test('returns the decrypted records, plain fields and sealed ones alike', async () => {
  const page = await reader.read('emails', { tenantId: 't-a', connectionId: alice });
  const records = live(page.items);
  expect(records.map((r) => r.externalId)).toEqual(['m1', 'm2', 'm3']);
  const { attachments: _a, ...expected } = email('m1', {
    fromAddress: 'Carol@Example.com',
    subject: 'Quarterly numbers',
  });
  expect(records[0]).toEqual(expected);
  expect(page.hasMore).toBe(false);
});

test('a connection of another tenant, or an unknown or malformed id, is not found', async () => {
  for (const connectionId of [other, '00000000-0000-4000-8000-000000000000', 'nope']) {
    await expect(reader.read('emails', { tenantId: 't-a', connectionId })).rejects.toBeInstanceOf(
      ConnectionNotFoundError,
    );
  }
});

test('the address filter finds exactly the rows naming the address, normalised as the write path does', async () => {
  const found = await reader.read('emails', {
    tenantId: 't-a',
    connectionId: alice,
    address: ' CAROL@example.COM ',
  });
  expect(live(found.items).map((r) => r.externalId)).toEqual(['m1', 'm2']);
  const dave = await reader.read('emails', {
    tenantId: 't-a',
    connectionId: alice,
    address: 'dave@example.com',
  });
  expect(live(dave.items).map((r) => r.externalId)).toEqual(['m2']);
  const nobody = await reader.read('emails', {
    tenantId: 't-a',
    connectionId: alice,
    address: 'eve@example.com',
  });
  expect(nobody.items).toEqual([]);
  // The same address in tenant t-b: its own terms find its own row.
  const theirs = await reader.read('emails', {
    tenantId: 't-b',
    connectionId: other,
    address: 'carol@example.com',
  });
  expect(live(theirs.items).map((r) => r.externalId)).toEqual(['x1']);
  const events = await reader.read('events', {
    tenantId: 't-a',
    connectionId: alice,
    address: 'guest@example.com',
  });
  expect(live(events.items).map((r) => r.externalId)).toEqual(['e1', 'e2']);
  await expect(
    reader.read('emails', { tenantId: 't-a', connectionId: alice, address: 'not an address' }),
  ).rejects.toBeInstanceOf(InvalidFilterError);
  await expect(
    reader.read('tasks', { tenantId: 't-a', connectionId: alice, address: 'carol@example.com' }),
  ).rejects.toBeInstanceOf(InvalidFilterError);
});

test('the Message-ID filter finds the message and the replies naming it (sealed threading ids)', async () => {
  const connectionId = await insertConnection(db.dataSource, 't-a', 'threads');
  await writeSealed(db.dataSource, keys, { connectionId, tenantId: 't-a' }, 'emails', [
    email('root', { messageId: '<root@x.example>' }),
    email('reply', {
      messageId: '<r1@x.example>',
      inReplyTo: '<root@x.example>',
      references: ['<root@x.example>'],
    }),
    email('other', { messageId: '<other@x.example>' }),
  ]);
  const [stored] = (await db.dataSource.query(
    `SELECT message_id, in_reply_to, reference_ids FROM emails WHERE connection_id = $1 AND external_id = 'reply'`,
    [connectionId],
  )) as Array<Record<string, unknown>>;
  expect(stored).toEqual({ message_id: null, in_reply_to: null, reference_ids: [] });
  const thread = await reader.read('emails', {
    tenantId: 't-a',
    connectionId,
    messageId: '<root@x.example>',
  });
  expect(live(thread.items).map((r) => [r.externalId, r.inReplyTo])).toEqual([
    ['root', null],
    ['reply', '<root@x.example>'],
  ]);
  // Terms are per tenant: the same id under another tenant's keys finds nothing here.
  const elsewhere = await reader.read('emails', {
    tenantId: 't-b',
    connectionId: other,
    messageId: '<root@x.example>',
  });
  expect(elsewhere.items).toEqual([]);
  await expect(
    reader.read('contacts', { tenantId: 't-a', connectionId, messageId: '<root@x.example>' }),
  ).rejects.toBeInstanceOf(InvalidFilterError);
});

test('tasks are sealed (title, notes) and read back decrypted, filtered by due time', async () => {
  const connectionId = await insertConnection(db.dataSource, 't-a', 'tasks');
  await writeSealed(db.dataSource, keys, { connectionId, tenantId: 't-a' }, 'tasks', [
    task('t1'),
    task('t2', { dueAt: new Date('2026-12-24T00:00:00Z') }),
  ]);
  const plain = (await db.dataSource.query(`SELECT title, notes FROM tasks WHERE connection_id = $1`, [
    connectionId,
  ])) as unknown[];
  expect(plain).toEqual([
    { title: null, notes: null },
    { title: null, notes: null },
  ]);
  const page = await reader.read('tasks', {
    tenantId: 't-a',
    connectionId,
    to: new Date('2026-12-01T00:00:00Z'),
  });
  expect(live(page.items)).toEqual([task('t1')]);
});

test('time ranges: mail by sent time, events by overlap', async () => {
  const from = new Date('2026-10-15T00:00:00Z');
  const mail = await reader.read('emails', { tenantId: 't-a', connectionId: alice, from });
  expect(live(mail.items).map((r) => r.externalId)).toEqual(['m1', 'm2']);
  const old = await reader.read('emails', { tenantId: 't-a', connectionId: alice, to: from });
  expect(live(old.items).map((r) => r.externalId)).toEqual(['m3']);
  const during = await reader.read('events', {
    tenantId: 't-a',
    connectionId: alice,
    from: new Date('2026-11-02T09:30:00Z'),
    to: new Date('2026-11-03T00:00:00Z'),
  });
  expect(live(during.items).map((r) => r.externalId)).toEqual(['e1']);
  await expect(reader.read('contacts', { tenantId: 't-a', connectionId: bob, from })).rejects.toBeInstanceOf(
    InvalidFilterError,
  );
});

test('pages with cursors bound to their connection and kind', async () => {
  const first = await reader.read('emails', { tenantId: 't-a', connectionId: alice, limit: 2 });
  expect(first.hasMore).toBe(true);
  const second = await reader.read('emails', {
    tenantId: 't-a',
    connectionId: alice,
    cursor: first.nextCursor,
  });
  expect(live([...first.items, ...second.items]).map((r) => r.externalId)).toEqual(['m1', 'm2', 'm3']);
  const request = { tenantId: 't-a', connectionId: bob, cursor: first.nextCursor };
  await expect(reader.read('emails', request)).rejects.toBeInstanceOf(InvalidCursorError);
  const wrongKind = { tenantId: 't-a', connectionId: alice, cursor: first.nextCursor };
  await expect(reader.read('events', wrongKind)).rejects.toBeInstanceOf(InvalidCursorError);
  const garbage = { tenantId: 't-a', connectionId: alice, cursor: 'eyJ2IjoyfQ' };
  await expect(reader.read('emails', garbage)).rejects.toBeInstanceOf(InvalidCursorError);
});

test('the change feed serves updates and deletions once each; a listing leaves deletions out', async () => {
  const connectionId = await insertConnection(db.dataSource, 't-a', 'feed');
  const owner = { connectionId, tenantId: 't-a' };
  await writeSealed(db.dataSource, keys, owner, 'contacts', [contact('a'), contact('b'), contact('c')]);
  const start = await reader.read('contacts', { tenantId: 't-a', connectionId, changedSince: new Date(0) });
  expect(start.items.map((i) => i.externalId)).toEqual(['a', 'b', 'c']);
  const quiet = await reader.read('contacts', { tenantId: 't-a', connectionId, cursor: start.nextCursor });
  expect(quiet.items).toEqual([]);
  // Unchanged content is not rewritten, so it is not served again.
  await writeSealed(db.dataSource, keys, owner, 'contacts', [
    contact('a'),
    contact('b', { company: 'New Co' }),
  ]);
  await markDeleted(db.dataSource, 'contacts', connectionId, ['c']);
  const changes = await reader.read('contacts', { tenantId: 't-a', connectionId, cursor: quiet.nextCursor });
  expect(changes.items.map((i) => [i.externalId, i.deleted])).toEqual([
    ['b', false],
    ['c', true],
  ]);
  expect(changes.items[0]).toMatchObject({ record: { company: 'New Co' } });
  const after = await reader.read('contacts', { tenantId: 't-a', connectionId, cursor: changes.nextCursor });
  expect(after.items).toEqual([]);
  const listing = await reader.read('contacts', { tenantId: 't-a', connectionId });
  expect(listing.items.map((i) => i.externalId)).toEqual(['a', 'b']);
});

test('altered, moved and cross-connection ciphertext is refused', async () => {
  const connectionId = await insertConnection(db.dataSource, 't-a', 'tamper');
  const owner = { connectionId, tenantId: 't-a' };
  await writeSealed(db.dataSource, keys, owner, 'emails', [email('p'), email('q')]);
  const read = () => reader.read('emails', { tenantId: 't-a', connectionId });
  const sealedOf = async (conn: string, id: string) =>
    (
      (await db.dataSource.query('SELECT sealed FROM emails WHERE connection_id = $1 AND external_id = $2', [
        conn,
        id,
      ])) as Array<{ sealed: Buffer }>
    )[0]!.sealed;
  const put = (id: string, sealed: Buffer) =>
    db.dataSource.query('UPDATE emails SET sealed = $3 WHERE connection_id = $1 AND external_id = $2', [
      connectionId,
      id,
      sealed,
    ]);
  const original = await sealedOf(connectionId, 'p');
  const altered = Buffer.from(original);
  altered[altered.length - 1] ^= 1;
  for (const wrong of [altered, await sealedOf(connectionId, 'q'), await sealedOf(alice, 'm1')]) {
    await put('p', wrong);
    await expect(read()).rejects.toBeInstanceOf(SealedContentError);
  }
  await put('p', original);
  expect((await read()).items).toHaveLength(2);
});

test('rows written before sealing are read from their plain columns', async () => {
  const connectionId = await insertConnection(db.dataSource, 't-a', 'legacy');
  await db.dataSource.query(
    `INSERT INTO contacts (connection_id, external_id, content_hash, display_name, emails)
     VALUES ($1, 'old', 'h', 'Old Plain', '{old@example.com}')`,
    [connectionId],
  );
  const page = await reader.read('contacts', { tenantId: 't-a', connectionId });
  expect(live(page.items)).toEqual([
    expect.objectContaining({
      externalId: 'old',
      displayName: 'Old Plain',
      emails: ['old@example.com'],
      phones: [],
    }),
  ]);
});

test('a shredded connection fails with ContentShreddedError while others read as before', async () => {
  const connectionId = await insertConnection(db.dataSource, 't-a', 'shred');
  await writeSealed(db.dataSource, keys, { connectionId, tenantId: 't-a' }, 'contacts', [contact('s')]);
  expect((await reader.read('contacts', { tenantId: 't-a', connectionId })).items).toHaveLength(1);
  await keys.dataKeys.shred(db.dataSource, [connectionId]);
  await expect(reader.read('contacts', { tenantId: 't-a', connectionId })).rejects.toBeInstanceOf(
    ContentShreddedError,
  );
  expect((await reader.read('contacts', { tenantId: 't-a', connectionId: bob })).items).toHaveLength(1);
});
