import type { EmailAttachmentRecord } from '@crm-sync/core';
import type { CalendarEventRow, ContactRow, CrmObjectRow, CrmRowBase, EmailRow, TaskRow } from '../types';
import { defineChildSpec } from './children';
import { defineUpsertSpec, type UpsertColumn } from './upsertRows';

/** What sync code provides for a CRM row; the database owns id, deleted_at and the timestamps. */
export type UpsertInput<Row extends CrmRowBase> = Omit<Row, 'id' | 'deletedAt' | 'createdAt' | 'updatedAt'>;

export type EmailInput = UpsertInput<EmailRow>;
export type CalendarEventInput = UpsertInput<CalendarEventRow>;
export type ContactInput = UpsertInput<ContactRow>;
export type TaskInput = UpsertInput<TaskRow>;
export type CrmObjectInput = UpsertInput<CrmObjectRow>;

const keyColumns = {
  connectionId: { column: 'connection_id', type: 'uuid' },
  externalId: { column: 'external_id', type: 'text' },
  contentHash: { column: 'content_hash', type: 'text' },
  seenRound: { column: 'seen_round', type: 'bigint' },
} as const satisfies Record<string, UpsertColumn>;

const text = (column: string): UpsertColumn => ({ column, type: 'text' });
const texts = (column: string): UpsertColumn => ({ column, type: 'text[]' });
const time = (column: string): UpsertColumn => ({ column, type: 'timestamptz' });

export const emailUpsert = defineUpsertSpec<EmailInput>({
  table: 'emails',
  columns: {
    ...keyColumns,
    threadId: text('thread_id'),
    fromAddress: text('from_address'),
    toAddresses: texts('to_addresses'),
    ccAddresses: texts('cc_addresses'),
    bccAddresses: texts('bcc_addresses'),
    subject: text('subject'),
    sentAt: time('sent_at'),
    labels: texts('labels'),
    snippet: text('snippet'),
    bodyText: text('body_text'),
    bodyHtml: text('body_html'),
    uniqueBody: text('unique_body'),
    bodyTruncated: { column: 'body_truncated', type: 'boolean' },
    messageId: text('message_id'),
    inReplyTo: text('in_reply_to'),
    references: texts('reference_ids'),
    direction: text('direction'),
  },
  conflict: ['connectionId', 'externalId'],
  hash: 'contentHash',
  generation: 'seenRound',
  // The sync engine rewrites the child rows (attachments, participants) of these (children.ts).
  report: 'externalId',
});

export const calendarEventUpsert = defineUpsertSpec<CalendarEventInput>({
  table: 'calendar_events',
  columns: {
    ...keyColumns,
    calendarId: text('calendar_id'),
    title: text('title'),
    description: text('description'),
    location: text('location'),
    startsAt: time('starts_at'),
    endsAt: time('ends_at'),
    allDay: { column: 'all_day', type: 'boolean' },
    eventStatus: text('event_status'),
    organizer: text('organizer'),
    attendees: { column: 'attendees', type: 'jsonb' },
  },
  conflict: ['connectionId', 'externalId'],
  hash: 'contentHash',
  generation: 'seenRound',
  // The sync engine rewrites the participant rows of these (children.ts).
  report: 'externalId',
});

export const contactUpsert = defineUpsertSpec<ContactInput>({
  table: 'contacts',
  columns: {
    ...keyColumns,
    displayName: text('display_name'),
    givenName: text('given_name'),
    familyName: text('family_name'),
    emails: texts('emails'),
    phones: texts('phones'),
    company: text('company'),
    jobTitle: text('job_title'),
  },
  conflict: ['connectionId', 'externalId'],
  hash: 'contentHash',
  generation: 'seenRound',
  // The sync engine rewrites the participant rows of these (children.ts).
  report: 'externalId',
});

export const taskUpsert = defineUpsertSpec<TaskInput>({
  table: 'tasks',
  columns: {
    ...keyColumns,
    listId: text('list_id'),
    listTitle: text('list_title'),
    title: text('title'),
    notes: text('notes'),
    status: text('status'),
    dueAt: time('due_at'),
    completedAt: time('completed_at'),
  },
  conflict: ['connectionId', 'externalId'],
  hash: 'contentHash',
  generation: 'seenRound',
});

// HubSpot ids are unique per object type only, hence the three-column key (see the initial migration).
export const crmObjectUpsert = defineUpsertSpec<CrmObjectInput>({
  table: 'crm_objects',
  columns: {
    ...keyColumns,
    objectType: text('object_type'),
    properties: { column: 'properties', type: 'jsonb' },
    remoteUpdatedAt: time('remote_updated_at'),
  },
  conflict: ['connectionId', 'objectType', 'externalId'],
  hash: 'contentHash',
  generation: 'seenRound',
  // The sync engine rewrites the participant rows of these (children.ts); a page holds one object type, so the
  // external id names the row.
  report: 'externalId',
});

/** An email's attachment rows, keyed by the provider's attachment id within the message. */
export const emailAttachmentChildren = defineChildSpec<EmailAttachmentRecord>({
  table: 'email_attachments',
  parentTable: 'emails',
  parentColumn: 'email_external_id',
  columns: {
    attachmentId: text('attachment_id'),
    name: text('name'),
    contentType: text('content_type'),
    size: { column: 'size', type: 'bigint' },
    isInline: { column: 'is_inline', type: 'boolean' },
    contentId: text('content_id'),
  },
  key: 'attachmentId',
});
