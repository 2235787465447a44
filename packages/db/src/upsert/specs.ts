import type { EmailAttachmentRecord } from '@crm-sync/core';
import { clearedColumns, type SealedField, type SealedTable } from '../sealed/fields';
import type {
  CalendarEventRow,
  ContactRow,
  CrmObjectRow,
  CrmRowBase,
  DriveFileRow,
  EmailRow,
  TaskRow,
} from '../types';
import { defineChildSpec } from './children';
import { defineUpsertSpec, type UpsertColumn } from './upsertRows';

/** What sync code provides for a CRM row; the database owns id, deleted_at and the timestamps. */
export type UpsertInput<Row extends CrmRowBase> = Omit<Row, 'id' | 'deletedAt' | 'createdAt' | 'updatedAt'>;

/**
 * What a row holds in place of its content (sealed/fields.ts): the sealed value (packages/vault `sealRow`, opaque
 * here) and the blind index terms of the addresses in it.
 */
export interface SealedColumns {
  sealed: Buffer;
  blindIndex: Buffer[];
}

/** A row as the sync engine writes it: its plain fields and the sealed rest. */
export type SealedInput<Row extends CrmRowBase, T extends SealedTable> = Omit<
  UpsertInput<Row>,
  SealedField<T>
> &
  SealedColumns;

export type CalendarEventInput = SealedInput<CalendarEventRow, 'calendar_events'>;
export type ContactInput = SealedInput<ContactRow, 'contacts'>;
export type CrmObjectInput = SealedInput<CrmObjectRow, 'crm_objects'>;
export type DriveFileInput = Omit<UpsertInput<DriveFileRow>, keyof SealedColumns> & SealedColumns;
/** Mail also carries the blind index terms of its threading ids (migration 1765000000181). */
export type EmailInput = SealedInput<EmailRow, 'emails'> & { messageTerms: Buffer[] };
/** Tasks hold no addresses: sealed content, no blind index. */
export type TaskInput = Omit<UpsertInput<TaskRow>, SealedField<'tasks'>> & Pick<SealedColumns, 'sealed'>;

const keyColumns = {
  connectionId: { column: 'connection_id', type: 'uuid' },
  externalId: { column: 'external_id', type: 'text' },
  contentHash: { column: 'content_hash', type: 'text' },
  seenRound: { column: 'seen_round', type: 'bigint' },
} as const satisfies Record<string, UpsertColumn>;

const sealedColumns = {
  sealed: { column: 'sealed', type: 'bytea' },
  blindIndex: { column: 'blind_index', type: 'bytea[]' },
} as const satisfies Record<keyof SealedColumns, UpsertColumn>;

const text = (column: string): UpsertColumn => ({ column, type: 'text' });
const texts = (column: string): UpsertColumn => ({ column, type: 'text[]' });
const time = (column: string): UpsertColumn => ({ column, type: 'timestamptz' });

export const emailUpsert = defineUpsertSpec<EmailInput>({
  table: 'emails',
  columns: {
    ...keyColumns,
    ...sealedColumns,
    threadId: text('thread_id'),
    sentAt: time('sent_at'),
    labels: texts('labels'),
    bodyTruncated: { column: 'body_truncated', type: 'boolean' },
    messageTerms: { column: 'message_terms', type: 'bytea[]' },
    direction: text('direction'),
  },
  cleared: clearedColumns('emails'),
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
    ...sealedColumns,
    calendarId: text('calendar_id'),
    startsAt: time('starts_at'),
    endsAt: time('ends_at'),
    allDay: { column: 'all_day', type: 'boolean' },
    eventStatus: text('event_status'),
  },
  cleared: clearedColumns('calendar_events'),
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
    ...sealedColumns,
  },
  cleared: clearedColumns('contacts'),
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
    sealed: sealedColumns.sealed,
    listId: text('list_id'),
    listTitle: text('list_title'),
    status: text('status'),
    dueAt: time('due_at'),
    completedAt: time('completed_at'),
  },
  cleared: clearedColumns('tasks'),
  conflict: ['connectionId', 'externalId'],
  hash: 'contentHash',
  generation: 'seenRound',
});

export const driveFileUpsert = defineUpsertSpec<DriveFileInput>({
  table: 'drive_files',
  columns: {
    ...keyColumns,
    ...sealedColumns,
    mimeType: text('mime_type'),
    size: { column: 'size', type: 'bigint' },
    modifiedAt: time('modified_at'),
    webViewLink: text('web_view_link'),
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
    ...sealedColumns,
    objectType: text('object_type'),
    remoteUpdatedAt: time('remote_updated_at'),
  },
  cleared: clearedColumns('crm_objects'),
  conflict: ['connectionId', 'objectType', 'externalId'],
  hash: 'contentHash',
  generation: 'seenRound',
  // The sync engine rewrites the participant rows of these (children.ts); a page holds one object type, so the
  // external id names the row.
  report: 'externalId',
});

/** An attachment as its row holds it: the file's name and Content-ID sealed (sealed/fields.ts). */
export type SealedAttachment = Omit<EmailAttachmentRecord, SealedField<'email_attachments'>> & {
  sealed: Buffer;
};

/** An email's attachment rows, keyed by the provider's attachment id within the message. */
export const emailAttachmentChildren = defineChildSpec<SealedAttachment>({
  table: 'email_attachments',
  parentTable: 'emails',
  parentColumn: 'email_external_id',
  columns: {
    attachmentId: text('attachment_id'),
    contentType: text('content_type'),
    size: { column: 'size', type: 'bigint' },
    isInline: { column: 'is_inline', type: 'boolean' },
    sealed: { column: 'sealed', type: 'bytea' },
  },
  key: 'attachmentId',
});
