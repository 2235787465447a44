import {
  createTestDatabase,
  insertTestConnection,
  testEmailInput,
  type TestDatabase,
} from '@crm-sync/db/testing';
import { removeChildrenOfDeleted, replaceChildren } from './children';
import { markDeleted } from './markDeleted';
import { crmObjectParticipantChildren, type SealedParticipant } from './participantSpecs';
import {
  crmObjectUpsert,
  emailAttachmentChildren,
  emailUpsert,
  type EmailInput,
  type SealedAttachment,
} from './specs';
import { upsertRowsReporting } from './upsertRows';

let db: TestDatabase;
let connectionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  connectionId = await insertTestConnection(db.dataSource);
});
afterAll(() => db.drop());
beforeEach(() => db.dataSource.query('DELETE FROM emails'));

const email = (externalId: string, contentHash = `h-${externalId}`, seenRound = 1): EmailInput =>
  testEmailInput(connectionId, externalId, { contentHash, seenRound });

// The name stands in for the sealed value the engine writes: this package stores it as given.
const file = (attachmentId: string, name = `${attachmentId}.pdf`): SealedAttachment => ({
  attachmentId,
  contentType: 'application/pdf',
  size: 2048,
  isInline: false,
  sealed: Buffer.from(name),
});

const attachments = () =>
  db.dataSource
    .query<{ email_external_id: string; attachment_id: string; sealed: Buffer }[]>(
      `SELECT email_external_id, attachment_id, sealed FROM email_attachments ORDER BY 1, 2`,
    )
    .then((rows) => rows.map((r) => `${r.email_external_id}/${r.attachment_id}:${r.sealed.toString()}`));

test('upsertRowsReporting names the rows written with content: inserted, changed, revived; not seen-only ones', async () => {
  const first = await upsertRowsReporting(db.dataSource, emailUpsert, [email('a'), email('b'), email('c')]);
  expect(first).toMatchObject({ inserted: 3, updated: 0 });
  expect([...first.written].sort()).toEqual(['a', 'b', 'c']);
  await markDeleted(db.dataSource, 'emails', connectionId, ['c']);
  // a: same hash, new round (marked seen only); b: changed; c: revived with the same hash.
  const second = await upsertRowsReporting(db.dataSource, emailUpsert, [
    email('a', 'h-a', 2),
    email('b', 'new', 2),
    email('c', 'h-c', 2),
  ]);
  expect(second).toMatchObject({ inserted: 0, updated: 2, unchanged: 1 });
  expect([...second.written].sort()).toEqual(['b', 'c']);
});

test('children are replaced per parent, keep no stale rows, and go when their parent is deleted or purged', async () => {
  await upsertRowsReporting(db.dataSource, emailUpsert, [email('a'), email('b')]);
  await replaceChildren(db.dataSource, emailAttachmentChildren, connectionId, [
    { parentId: 'a', children: [file('1'), file('2'), file('2', 'last wins.pdf')] },
    { parentId: 'b', children: [file('1')] },
  ]);
  expect(await attachments()).toEqual(['a/1:1.pdf', 'a/2:last wins.pdf', 'b/1:1.pdf']);
  await replaceChildren(db.dataSource, emailAttachmentChildren, connectionId, [
    { parentId: 'a', children: [] },
  ]);
  expect(await attachments()).toEqual(['b/1:1.pdf']);

  await replaceChildren(db.dataSource, emailAttachmentChildren, connectionId, [
    { parentId: 'a', children: [file('9')] },
  ]);
  await markDeleted(db.dataSource, 'emails', connectionId, ['b']);
  // Only deleted parents lose their children, named or not.
  await removeChildrenOfDeleted(db.dataSource, emailAttachmentChildren, connectionId, ['a', 'b']);
  expect(await attachments()).toEqual(['a/9:9.pdf']);
  await db.dataSource.query(`DELETE FROM emails WHERE external_id = 'a'`);
  expect(await attachments()).toEqual([]);
});

test('a child needs its parent row', async () => {
  await expect(
    replaceChildren(db.dataSource, emailAttachmentChildren, connectionId, [
      { parentId: 'nobody', children: [file('1')] },
    ]),
  ).rejects.toThrow(/email_attachments_email_fkey/);
});

test('children of crm_objects are keyed by object type as well as id: one type never touches another', async () => {
  const base = {
    connectionId,
    contentHash: 'h',
    seenRound: 1,
    sealed: Buffer.from('s'),
    blindIndex: [],
    remoteUpdatedAt: null,
  };
  // HubSpot ids are unique per type only: a contact and a company may both be "7".
  await upsertRowsReporting(db.dataSource, crmObjectUpsert, [
    { ...base, externalId: '7', objectType: 'contacts' },
    { ...base, externalId: '7', objectType: 'companies' },
  ]);
  // The address stands in for its term (and sealed value) here: this package stores them as given.
  const person = (address: string): SealedParticipant => ({
    term: Buffer.from(address),
    sealed: Buffer.from(address),
    roles: ['contact'],
    response: null,
  });
  const people = () =>
    db.dataSource
      .query<{ object_type: string; object_external_id: string; term: Buffer }[]>(
        `SELECT object_type, object_external_id, term FROM participants ORDER BY 1, 2, 3`,
      )
      .then((rows) => rows.map((r) => `${r.object_type}/${r.object_external_id}:${r.term.toString()}`));
  const replace = (type: string, ...addresses: string[]) =>
    replaceChildren(
      db.dataSource,
      crmObjectParticipantChildren,
      connectionId,
      [{ parentId: '7', children: addresses.map(person) }],
      type,
    );
  await replace('contacts', 'a@example.com', 'b@example.com');
  await replace('companies', 'c@example.com');
  await replace('contacts', 'b@example.com');
  expect(await people()).toEqual(['companies/7:c@example.com', 'contacts/7:b@example.com']);

  // The type is the key: leaving it out (or giving one to an untyped parent) is a caller's error, not a guess.
  await expect(
    replaceChildren(db.dataSource, crmObjectParticipantChildren, connectionId, [
      { parentId: '7', children: [] },
    ]),
  ).rejects.toThrow(/need parent type/);
  await expect(
    removeChildrenOfDeleted(db.dataSource, emailAttachmentChildren, connectionId, undefined, 'contacts'),
  ).rejects.toThrow(/take no parent type/);

  await markDeleted(db.dataSource, 'crm_objects', connectionId, ['7'], 'contacts');
  // The company "7" is live: asking for companies removes nothing, asking for contacts removes the contact's.
  expect(
    await removeChildrenOfDeleted(
      db.dataSource,
      crmObjectParticipantChildren,
      connectionId,
      ['7'],
      'companies',
    ),
  ).toBe(0);
  expect(
    await removeChildrenOfDeleted(
      db.dataSource,
      crmObjectParticipantChildren,
      connectionId,
      undefined,
      'contacts',
    ),
  ).toBe(1);
  expect(await people()).toEqual(['companies/7:c@example.com']);
  await db.dataSource.query(`DELETE FROM crm_objects WHERE object_type = 'companies'`);
  expect(await people()).toEqual([]);
  await db.dataSource.query(`DELETE FROM crm_objects`);
});
