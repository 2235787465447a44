import { openRows, testContentKeys } from '@crm-sync/connections/testing';
import type {
  CalendarEventRecord,
  CrmObjectRecord,
  CrmTableName,
  EmailRecord,
  RecordsByTable,
  Resource,
} from '@crm-sync/core';
import { createTestDatabase, insertTestConnection, type TestDatabase } from '@crm-sync/testing';
import type { ContentKeys } from '@crm-sync/vault';
import { writePage, type PageRound } from './writePage';

let db: TestDatabase;
let content: ContentKeys;
let connectionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  content = testContentKeys(db.dataSource);
  connectionId = await insertTestConnection(db.dataSource);
});
afterAll(() => db.drop());

const email = (externalId: string, from: string, to: string[], subject = 's'): EmailRecord => ({
  externalId,
  threadId: null,
  fromAddress: from,
  toAddresses: to,
  ccAddresses: [],
  bccAddresses: [],
  subject,
  sentAt: new Date('2026-03-01T00:00:00Z'),
  labels: [],
  snippet: null,
  bodyText: null,
  bodyHtml: null,
  uniqueBody: null,
  bodyTruncated: false,
  messageId: null,
  inReplyTo: null,
  references: [],
  direction: 'received',
  attachments: [],
});

const meeting = (
  externalId: string,
  organizer: string,
  attendees: [string, string][],
): CalendarEventRecord => ({
  externalId,
  calendarId: 'primary',
  title: 'Review',
  description: null,
  location: null,
  startsAt: new Date('2026-03-02T10:00:00Z'),
  endsAt: new Date('2026-03-02T11:00:00Z'),
  allDay: false,
  eventStatus: 'confirmed',
  organizer,
  attendees: attendees.map(([address, response]) => ({
    email: address,
    name: null,
    type: 'required',
    response,
  })),
});

function write<T extends CrmTableName>(
  table: T,
  upserts: RecordsByTable[T][],
  deletes: string[] = [],
  round: PageRound = { generation: 1, sweep: null },
) {
  const resource = table === 'emails' ? 'mail' : 'calendar';
  return db.dataSource.transaction((manager) =>
    writePage(
      manager,
      content,
      { table, objectType: undefined, connectionId, tenantId: 't1', resource },
      { upserts, deletes },
      round,
    ),
  );
}

/**
 * The CRM's question (docs/architecture.md, participants): every live email and event with a person, found by the
 * address's blind index term (the tenant's), never by the address.
 */
const withPerson = async (address: string) =>
  (
    await db.dataSource.query<{ item: string; roles: string[]; response: string | null }[]>(
      `SELECT coalesce('mail:' || e.external_id, 'event:' || v.external_id) AS item, p.roles, p.response
         FROM participants p
         LEFT JOIN emails e ON e.connection_id = p.connection_id AND e.external_id = p.email_external_id
           AND e.deleted_at IS NULL
         LEFT JOIN calendar_events v ON v.connection_id = p.connection_id AND v.external_id = p.event_external_id
           AND v.deleted_at IS NULL
        WHERE p.term = ANY($1) AND p.connection_id = $2 AND (e.id IS NOT NULL OR v.id IS NOT NULL)
        ORDER BY 1`,
      [content.indexKeys.lookupTerms('address', 't1', address), connectionId],
    )
  ).map((r) => [r.item, r.roles.join('+'), r.response]);

test('participants follow their email or event: written with it, replaced when it changes, gone when it is deleted, swept or purged', async () => {
  await write('emails', [
    email('m1', 'Alice@Example.com', ['bob@example.com']),
    email('m2', 'bob@example.com', ['alice@example.com', 'ALICE@example.com']),
  ]);
  await write('calendar_events', [meeting('e1', 'bob@example.com', [['alice@example.com', 'tentative']])]);
  expect(await withPerson('alice@example.com')).toEqual([
    ['event:e1', 'attendee', 'tentative'],
    ['mail:m1', 'from', null],
    ['mail:m2', 'to', null],
  ]);

  // A rewrite with other people replaces the rows; an answer changed at the provider shows.
  await write('emails', [email('m2', 'bob@example.com', ['carol@example.com'], 'changed')]);
  await write('calendar_events', [meeting('e1', 'bob@example.com', [['alice@example.com', 'accepted']])]);
  expect(await withPerson('alice@example.com')).toEqual([
    ['event:e1', 'attendee', 'accepted'],
    ['mail:m1', 'from', null],
  ]);
  expect(await withPerson('carol@example.com')).toEqual([['mail:m2', 'to', null]]);

  // Deleted at the provider: its rows go with the mark, not only out of the query.
  await write('emails', [], ['m1']);
  const rowsOf = async (item: string) =>
    (
      await db.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM participants WHERE email_external_id = $1 OR event_external_id = $1`,
        [item],
      )
    )[0]?.n;
  expect(await rowsOf('m1')).toBe(0);

  // A full round that no longer lists the event sweeps it, and its people with it.
  await write('calendar_events', [], [], { generation: 2, sweep: { window: undefined } });
  expect(await rowsOf('e1')).toBe(0);
  expect(await withPerson('alice@example.com')).toEqual([]);

  // A purge deletes the rows; the cascade takes their people.
  await db.dataSource.query(`DELETE FROM emails WHERE connection_id = $1`, [connectionId]);
  expect(await rowsOf('m2')).toBe(0);
});

test('participant rows hold no address or name in the clear; opened, they name the person', async () => {
  await write('calendar_events', [meeting('e9', 'Zed@Example.com', [['yann@example.com', 'accepted']])]);
  const plain = await db.dataSource.query<{ address: string | null; name: string | null }[]>(
    `SELECT address, name FROM participants WHERE event_external_id = 'e9'`,
  );
  expect(plain).toEqual([
    { address: null, name: null },
    { address: null, name: null },
  ]);
  const opened = await openRows(db.dataSource, content, 'participants', `event_external_id = 'e9'`);
  expect(opened.map((r) => [r.address, r.roles, r.response]).sort()).toEqual([
    ['yann@example.com', ['attendee'], 'accepted'],
    ['zed@example.com', ['organizer'], null],
  ]);
});

test('an unchanged row keeps its participant rows untouched', async () => {
  const versions = () =>
    db.dataSource.query<{ v: string }[]>(
      `SELECT xmin::text AS v FROM participants WHERE email_external_id = 'u1'`,
    );
  await write('emails', [email('u1', 'dora@example.com', ['eve@example.com'])]);
  const before = await versions();
  expect(before).toHaveLength(2);
  await write('emails', [email('u1', 'dora@example.com', ['eve@example.com'])], [], {
    generation: 3,
    sweep: null,
  });
  expect(await versions()).toEqual(before);
});

const hubspot = (objectType: string, externalId: string, addresses: string[]): CrmObjectRecord => ({
  externalId,
  objectType,
  properties: { email: addresses[0] ?? null },
  remoteUpdatedAt: null,
  addresses,
});

function writeObjects(
  objectType: string,
  upserts: CrmObjectRecord[],
  deletes: string[] = [],
  round: PageRound = { generation: 1, sweep: null },
) {
  return db.dataSource.transaction((manager) =>
    writePage(
      manager,
      content,
      { table: 'crm_objects', objectType, connectionId, tenantId: 't1', resource: objectType as Resource },
      { upserts, deletes },
      round,
    ),
  );
}

/** Who the CRM objects of a type name, by object: `id:address`. */
const objectPeople = async (objectType: string) =>
  (
    await openRows(db.dataSource, content, 'participants', 'connection_id = $1 AND object_type = $2', [
      connectionId,
      objectType,
    ])
  )
    .map((r) => `${String(r.object_external_id)}:${String(r.address)}:${(r.roles as string[]).join('+')}`)
    .sort();

test("a CRM object's participants follow it under its own type: written, moved by an edit, gone when deleted, swept or purged", async () => {
  await writeObjects('contacts', [
    hubspot('contacts', '1', ['Maya@Acme.example', 'maya@home.example']),
    hubspot('contacts', '2', ['liam@globex.example']),
  ]);
  // The same id under another type is another object; its people are its own.
  await writeObjects('companies', [hubspot('companies', '1', ['info@acme.example'])]);
  expect(await objectPeople('contacts')).toEqual([
    '1:maya@acme.example:contact',
    '1:maya@home.example:contact',
    '2:liam@globex.example:contact',
  ]);

  // An edit of the address moves the row; the company "1" is not touched by its namesake's rewrite.
  await writeObjects('contacts', [hubspot('contacts', '1', ['maya.okafor@acme.example'])]);
  expect(await objectPeople('contacts')).toEqual([
    '1:maya.okafor@acme.example:contact',
    '2:liam@globex.example:contact',
  ]);
  expect(await objectPeople('companies')).toEqual(['1:info@acme.example:contact']);

  // Deleted at the provider: its rows go with the mark, and only the deleted type's.
  await writeObjects('contacts', [], ['1']);
  expect(await objectPeople('contacts')).toEqual(['2:liam@globex.example:contact']);
  expect(await objectPeople('companies')).toEqual(['1:info@acme.example:contact']);

  // A full round that no longer lists a contact sweeps it and its people.
  await writeObjects('contacts', [], [], { generation: 2, sweep: { window: undefined } });
  expect(await objectPeople('contacts')).toEqual([]);
  expect(await objectPeople('companies')).toEqual(['1:info@acme.example:contact']);

  // A purge deletes the rows; the cascade takes their people.
  await db.dataSource.query(`DELETE FROM crm_objects WHERE connection_id = $1`, [connectionId]);
  expect(await objectPeople('companies')).toEqual([]);
});
