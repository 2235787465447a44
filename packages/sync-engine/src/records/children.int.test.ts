import type { EmailAttachmentRecord, EmailRecord } from '@crm-sync/core';
import { openRows, testContentKeys } from '@crm-sync/connections/testing';
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

const file = (attachmentId: string, name: string, isInline = false): EmailAttachmentRecord => ({
  attachmentId,
  name,
  contentType: isInline ? 'image/png' : 'application/pdf',
  size: 1000,
  isInline,
  contentId: isInline ? `${name}@mail.example` : null,
});

const email = (externalId: string, attachments: EmailAttachmentRecord[], subject = 's'): EmailRecord => ({
  externalId,
  threadId: null,
  fromAddress: null,
  toAddresses: [],
  ccAddresses: [],
  bccAddresses: [],
  subject,
  sentAt: new Date('2026-03-01T00:00:00Z'),
  labels: [],
  snippet: null,
  bodyText: 'text',
  bodyHtml: '<p>html</p>',
  uniqueBody: null,
  bodyTruncated: false,
  messageId: `<${externalId}@mail.example>`,
  inReplyTo: null,
  references: [],
  direction: 'received',
  attachments,
});

const write = (
  upserts: EmailRecord[],
  deletes: string[] = [],
  round: PageRound = { generation: 1, sweep: null },
) =>
  db.dataSource.transaction((manager) =>
    writePage(
      manager,
      content,
      { table: 'emails', objectType: undefined, connectionId, tenantId: 't1', resource: 'mail' },
      { upserts, deletes },
      round,
    ),
  );

/** Each attachment row, its name opened, with its row version (xmin): a rewrite changes it. */
const rows = async () =>
  (
    await openRows(
      db.dataSource,
      content,
      'email_attachments',
      `connection_id = $1 ORDER BY email_external_id, attachment_id`,
      [connectionId],
    )
  ).map((r) => ({ key: `${String(r.email_external_id)}/${String(r.attachment_id)}:${String(r.name)}` }));
const versions = () =>
  db.dataSource.query<{ version: string }[]>(
    `SELECT xmin::text AS version FROM email_attachments WHERE connection_id = $1 ORDER BY email_external_id, attachment_id`,
    [connectionId],
  );

test('attachment rows follow their email: written with it, left alone when unchanged, replaced when changed, removed when deleted or swept', async () => {
  const three = [file('1', 'logo', true), file('2', 'quote.pdf'), file('3', 'notes.pdf')];
  expect(await write([email('a', three), email('b', [file('1', 'b.pdf')])])).toMatchObject({ added: 2 });
  const first = await rows();
  const firstVersions = await versions();
  expect(first.map((r) => r.key)).toEqual(['a/1:logo', 'a/2:quote.pdf', 'a/3:notes.pdf', 'b/1:b.pdf']);
  const where = `attachment_id = '1' AND email_external_id = 'a'`;
  const [stored] = await openRows(db.dataSource, content, 'email_attachments', where);
  expect(stored).toMatchObject({
    is_inline: true,
    content_id: 'logo@mail.example',
    content_type: 'image/png',
    size: '1000',
  });
  // Name and Content-ID are sealed: the plain columns stay empty.
  expect(await db.dataSource.query(`SELECT name, content_id FROM email_attachments WHERE ${where}`)).toEqual([
    { name: null, content_id: null },
  ]);

  // The same content again (a later round): nothing rewritten, children included.
  expect(
    await write([email('a', three), email('b', [file('1', 'b.pdf')])], [], { generation: 2, sweep: null }),
  ).toMatchObject({
    unchanged: 2,
  });
  expect(await rows()).toEqual(first);
  expect(await versions()).toEqual(firstVersions);

  // a's files change: its rows are replaced; b's stay as they were.
  await write([email('a', [file('2', 'quote-v2.pdf')]), email('b', [file('1', 'b.pdf')])]);
  const changed = await rows();
  expect(changed.map((r) => r.key)).toEqual(['a/2:quote-v2.pdf', 'b/1:b.pdf']);
  expect((await versions())[1]).toEqual(firstVersions[3]);

  await write([], ['a']);
  expect((await rows()).map((r) => r.key)).toEqual(['b/1:b.pdf']);
  // Undeleted with the same content: its files come back with it.
  await write([email('a', [file('2', 'quote-v2.pdf')])]);
  expect((await rows()).map((r) => r.key)).toEqual(['a/2:quote-v2.pdf', 'b/1:b.pdf']);

  // A full round (generation 3) that lists only a: b is swept, and its files with it.
  await write([email('a', [file('2', 'quote-v2.pdf')])], [], { generation: 3, sweep: { window: undefined } });
  expect((await rows()).map((r) => r.key)).toEqual(['a/2:quote-v2.pdf']);
});
