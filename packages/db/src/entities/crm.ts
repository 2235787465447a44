import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import { bigintAsNumber } from './transformers';
import type {
  CalendarEventRow,
  ContactRow,
  CrmObjectRow,
  CrmRowBase,
  EmailAttachmentRow,
  EmailRow,
  TaskRow,
  DriveFileRow,
} from '../types';

// Sync code writes these tables with upsertRows (one statement per page); the schemas serve reads and tests.

const base: Record<keyof CrmRowBase, EntitySchemaColumnOptions> = {
  // Identity column: the database assigns it; 'increment' tells TypeORM to leave it out of inserts.
  id: { type: 'bigint', primary: true, generated: 'increment' },
  connectionId: { name: 'connection_id', type: 'uuid' },
  externalId: { name: 'external_id', type: 'text' },
  contentHash: { name: 'content_hash', type: 'text' },
  seenRound: { name: 'seen_round', type: 'bigint', nullable: true, transformer: bigintAsNumber },
  deletedAt: { name: 'deleted_at', type: 'timestamptz', nullable: true },
  createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
};

const text = (name: string): EntitySchemaColumnOptions => ({ name, type: 'text', nullable: true });
const textArray = (name: string): EntitySchemaColumnOptions => ({
  name,
  type: 'text',
  array: true,
  default: () => "'{}'",
});
const timestamp = (name: string): EntitySchemaColumnOptions => ({
  name,
  type: 'timestamptz',
  nullable: true,
});

export const EmailEntity = new EntitySchema<EmailRow>({
  name: 'Email',
  tableName: 'emails',
  columns: {
    ...base,
    threadId: text('thread_id'),
    fromAddress: text('from_address'),
    toAddresses: textArray('to_addresses'),
    ccAddresses: textArray('cc_addresses'),
    bccAddresses: textArray('bcc_addresses'),
    subject: text('subject'),
    sentAt: timestamp('sent_at'),
    labels: textArray('labels'),
    snippet: text('snippet'),
    bodyText: text('body_text'),
    bodyHtml: text('body_html'),
    uniqueBody: text('unique_body'),
    bodyTruncated: { name: 'body_truncated', type: 'boolean', default: false },
    messageId: text('message_id'),
    inReplyTo: text('in_reply_to'),
    references: textArray('reference_ids'),
    direction: text('direction'),
  },
});

export const EmailAttachmentEntity = new EntitySchema<EmailAttachmentRow>({
  name: 'EmailAttachment',
  tableName: 'email_attachments',
  columns: {
    connectionId: { name: 'connection_id', type: 'uuid', primary: true },
    emailExternalId: { name: 'email_external_id', type: 'text', primary: true },
    attachmentId: { name: 'attachment_id', type: 'text', primary: true },
    name: text('name'),
    contentType: text('content_type'),
    size: { type: 'bigint', nullable: true, transformer: bigintAsNumber },
    isInline: { name: 'is_inline', type: 'boolean', default: false },
    contentId: text('content_id'),
  },
});

export const CalendarEventEntity = new EntitySchema<CalendarEventRow>({
  name: 'CalendarEvent',
  tableName: 'calendar_events',
  columns: {
    ...base,
    calendarId: text('calendar_id'),
    title: text('title'),
    description: text('description'),
    location: text('location'),
    startsAt: timestamp('starts_at'),
    endsAt: timestamp('ends_at'),
    allDay: { name: 'all_day', type: 'boolean', default: false },
    eventStatus: text('event_status'),
    organizer: text('organizer'),
    attendees: { type: 'jsonb', default: () => "'[]'" },
  },
});

export const ContactEntity = new EntitySchema<ContactRow>({
  name: 'Contact',
  tableName: 'contacts',
  columns: {
    ...base,
    displayName: text('display_name'),
    givenName: text('given_name'),
    familyName: text('family_name'),
    emails: textArray('emails'),
    phones: textArray('phones'),
    company: text('company'),
    jobTitle: text('job_title'),
  },
});

export const TaskEntity = new EntitySchema<TaskRow>({
  name: 'Task',
  tableName: 'tasks',
  columns: {
    ...base,
    listId: { name: 'list_id', type: 'text' },
    listTitle: text('list_title'),
    title: text('title'),
    notes: text('notes'),
    status: { type: 'text' },
    dueAt: timestamp('due_at'),
    completedAt: timestamp('completed_at'),
  },
});

export const DriveFileEntity = new EntitySchema<DriveFileRow>({
  name: 'DriveFile',
  tableName: 'drive_files',
  columns: {
    ...base,
    sealed: { type: 'bytea', nullable: true },
    blindIndex: { name: 'blind_index', type: 'bytea', array: true, default: () => "'{}'" },
    mimeType: { name: 'mime_type', type: 'text' },
    size: { type: 'bigint', nullable: true, transformer: bigintAsNumber },
    modifiedAt: timestamp('modified_at'),
    webViewLink: text('web_view_link'),
  },
});

export const CrmObjectEntity = new EntitySchema<CrmObjectRow>({
  name: 'CrmObject',
  tableName: 'crm_objects',
  columns: {
    ...base,
    objectType: { name: 'object_type', type: 'text' },
    properties: { type: 'jsonb', default: () => "'{}'" },
    remoteUpdatedAt: timestamp('remote_updated_at'),
  },
});
