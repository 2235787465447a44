import { randomBytes } from 'node:crypto';
import type { CalendarEventRecord, ContactRecord, EmailRecord, TaskRecord } from '@crm-sync/core';
import {
  calendarEventUpsert,
  contactUpsert,
  emailUpsert,
  taskUpsert,
  upsertRows,
  type SqlExecutor,
  type UpsertSpec,
} from '@crm-sync/db';
import { messageTerms, PageSealer, type ContentOwner } from '@crm-sync/sync-engine';
import { createContentKeys, KeyRing, type ContentKeys, type SqlRunner } from '@crm-sync/vault';

/** Content keys over a test database: a fresh random vault ring and content index secret. */
export function readerTestKeys(db: SqlRunner): ContentKeys {
  return createContentKeys({
    db,
    keyRing: new KeyRing({ activeKeyId: 'test', keys: { test: randomBytes(32) } }),
    index: { activeKeyId: 'test-index', keys: { 'test-index': randomBytes(32) } },
  });
}

/** A connection row of `tenantId`; returns its id. */
export async function insertConnection(db: SqlRunner, tenantId: string, account: string): Promise<string> {
  const [row] = await db.query<Array<{ id: string }>>(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
     VALUES ($1, 'u1', 'google', $1 || '-' || $2) RETURNING id`,
    [tenantId, account],
  );
  return row!.id;
}

type Written = {
  emails: EmailRecord;
  calendar_events: CalendarEventRecord;
  contacts: ContactRecord;
  tasks: TaskRecord;
};

const SPECS = {
  emails: emailUpsert,
  calendar_events: calendarEventUpsert,
  contacts: contactUpsert,
  tasks: taskUpsert,
};

/**
 * Writes records as the sync engine's records/writePage.ts writes a page's rows (without child rows): sealed under
 * the connection's data key for their row, blind index terms of their addresses, keyed content hash.
 */
export async function writeSealed<T extends keyof Written>(
  db: SqlExecutor,
  keys: ContentKeys,
  owner: ContentOwner,
  table: T,
  records: Array<Written[T]>,
): Promise<void> {
  const sealer = await PageSealer.open(keys, owner);
  const rows = records.map((record) => {
    const { attachments: _attachments, ...row } = record as Written[T] & { attachments?: unknown };
    const { plain, sealed } = sealer.seal(table, [record.externalId], row);
    return {
      ...plain,
      externalId: record.externalId,
      connectionId: owner.connectionId,
      contentHash: sealer.contentHash(record),
      seenRound: null,
      sealed,
      blindIndex: sealer.termsOf(table, record as never),
      ...(table === 'emails' && {
        messageTerms: messageTerms(keys.indexKeys, owner.tenantId, record as EmailRecord),
      }),
    };
  });
  await upsertRows(db, SPECS[table] as unknown as UpsertSpec<(typeof rows)[number]>, rows);
}

export function contact(externalId: string, overrides: Partial<ContactRecord> = {}): ContactRecord {
  return {
    externalId,
    displayName: `Person ${externalId}`,
    givenName: 'Person',
    familyName: externalId,
    emails: [`${externalId}@example.com`],
    phones: ['+1 555 0100'],
    company: 'Example Inc',
    jobTitle: null,
    ...overrides,
  };
}

export function task(externalId: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    externalId,
    listId: 'list-1',
    listTitle: 'My tasks',
    title: `Call back ${externalId}`,
    notes: 'About the renewal',
    status: 'open',
    dueAt: new Date('2026-11-05T00:00:00Z'),
    completedAt: null,
    ...overrides,
  };
}

export function email(externalId: string, overrides: Partial<EmailRecord> = {}): EmailRecord {
  return {
    externalId,
    threadId: `thread-${externalId}`,
    fromAddress: 'sender@example.com',
    toAddresses: ['owner@example.com'],
    ccAddresses: [],
    bccAddresses: [],
    subject: `Subject ${externalId}`,
    sentAt: new Date('2026-11-01T10:00:00Z'),
    labels: ['INBOX'],
    snippet: 'snippet',
    bodyText: `Body of ${externalId}`,
    bodyHtml: null,
    uniqueBody: null,
    bodyTruncated: false,
    messageId: `<${externalId}@mail.example.com>`,
    inReplyTo: null,
    references: [],
    direction: 'received',
    attachments: [],
    ...overrides,
  };
}

export function event(externalId: string, overrides: Partial<CalendarEventRecord> = {}): CalendarEventRecord {
  return {
    externalId,
    calendarId: 'primary',
    title: `Meeting ${externalId}`,
    description: null,
    location: null,
    startsAt: new Date('2026-11-02T09:00:00Z'),
    endsAt: new Date('2026-11-02T10:00:00Z'),
    allDay: false,
    eventStatus: 'confirmed',
    organizer: 'boss@example.com',
    attendees: [{ email: 'guest@example.com', responseStatus: 'accepted' }],
    ...overrides,
  };
}

/**
 * Waits until every transaction that began before this call has ended, so what was committed is below the horizon
 * a read serves up to (docs/read-api.md). Other test files on the same server hold the horizon back for a moment.
 */
export async function horizonPassed(db: SqlRunner): Promise<void> {
  const [{ xid }] = (await db.query(`SELECT txid_current()::text AS xid`)) as [{ xid: string }];
  for (;;) {
    const [{ passed }] = (await db.query(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint > $1::bigint AS passed`,
      [xid],
    )) as [{ passed: boolean }];
    if (passed) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
