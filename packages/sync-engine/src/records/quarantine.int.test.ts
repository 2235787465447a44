import type { EmailRecord } from '@crm-sync/core';
import { testContentKeys } from '@crm-sync/connections/testing';
import { createTestDatabase, insertTestConnection, type TestDatabase } from '@crm-sync/testing';
import type { ContentKeys } from '@crm-sync/vault';
import { writePage } from './writePage';

let db: TestDatabase;
let content: ContentKeys;
let connectionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  content = testContentKeys(db.dataSource);
  connectionId = await insertTestConnection(db.dataSource);
});
afterAll(() => db.drop());

const email = (externalId: string, overrides: Partial<EmailRecord> = {}): EmailRecord => ({
  externalId,
  threadId: null,
  fromAddress: null,
  toAddresses: [],
  ccAddresses: [],
  subject: `subject ${externalId}`,
  sentAt: null,
  labels: [],
  snippet: null,
  bccAddresses: [],
  bodyText: null,
  bodyHtml: null,
  uniqueBody: null,
  bodyTruncated: false,
  messageId: null,
  inReplyTo: null,
  references: [],
  direction: 'received',
  attachments: [],
  ...overrides,
});

const write = (upserts: EmailRecord[], deletes: string[] = []) =>
  db.dataSource.transaction((manager) =>
    writePage(
      manager,
      content,
      { table: 'emails', objectType: undefined, connectionId, tenantId: 't1', resource: 'mail' },
      { upserts, deletes },
      { generation: 1, sweep: null },
    ),
  );

const quarantined = () =>
  db.dataSource.query(
    `SELECT external_id, reason, attempts FROM sync_quarantine WHERE connection_id = $1 ORDER BY external_id`,
    [connectionId],
  );

it('sets aside what cannot be stored, stores the rest of the page, and releases an item stored later', async () => {
  // A null where the table wants an array (a plain column): the database refuses this row (23502), and only it.
  const refused = email('refused', { labels: null as unknown as string[] });
  const counts = await write(
    [email('a'), refused, email('id\u0000nul'), email('x'.repeat(2000)), email('b')],
    ['gone\u0000'],
  );
  expect(counts).toMatchObject({ added: 2, quarantined: 3, sanitized: 0 });
  const stored = await db.dataSource.query(`SELECT external_id FROM emails ORDER BY external_id`);
  expect(stored).toEqual([{ external_id: 'a' }, { external_id: 'b' }]);
  expect(await quarantined()).toEqual([
    { external_id: 'idnul', reason: 'unsafe external id', attempts: 1 },
    { external_id: 'refused', reason: 'database error 23502', attempts: 1 },
    { external_id: 'x'.repeat(1024), reason: 'unsafe external id', attempts: 1 },
  ]);

  await write([refused]);
  expect((await quarantined())[1]).toMatchObject({ external_id: 'refused', attempts: 2 });
  await write([email('refused')]);
  expect((await quarantined()).map((q: { external_id: string }) => q.external_id)).not.toContain('refused');
});
