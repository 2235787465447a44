import type {
  CalendarEventRecord,
  ContactRecord,
  CrmObjectRecord,
  EmailRecord,
  TaskRecord,
} from '@crm-sync/core';
import { z } from 'zod';

/** What the CRM reads, by the name the read API uses in its paths. */
export const KINDS = ['emails', 'events', 'contacts', 'objects', 'tasks'] as const;
export type Kind = (typeof KINDS)[number];

/** The record each kind returns: the synced record without its child rows (attachments, participants). */
export interface RecordsByKind {
  emails: Omit<EmailRecord, 'attachments'>;
  events: CalendarEventRecord;
  contacts: ContactRecord;
  objects: Omit<CrmObjectRecord, 'addresses'>;
  tasks: TaskRecord;
}

type ColumnType = 'text' | 'texts' | 'time' | 'boolean' | 'json';

/** One kind's table: its plain columns (record field -> column), filters, and the shape of its sealed value. */
export interface KindSpec {
  table: 'emails' | 'calendar_events' | 'contacts' | 'crm_objects' | 'tasks';
  /** Plain columns read as they are, by record field. */
  plain: Record<string, [column: string, type: ColumnType]>;
  /** Columns that held the sealed fields before sealing (rows written before migration 101 still hold them). */
  legacy: Record<string, [column: string, type: ColumnType]>;
  /** The sealed value's fields (packages/db SEALED_FIELDS), validated after opening. */
  sealed: z.ZodType<Record<string, unknown>>;
  /** Whether rows carry blind index terms (an address filter). */
  addressable: boolean;
  /** The time range filter: `[from, to)` on one column, or an overlap of [start, end) for events. */
  timeRange: { start: string; end?: string } | null;
}

const text = z.string().nullable();
const texts = z.array(z.string());

export const KIND_SPECS: Record<Kind, KindSpec> = {
  emails: {
    table: 'emails',
    plain: {
      threadId: ['thread_id', 'text'],
      sentAt: ['sent_at', 'time'],
      labels: ['labels', 'texts'],
      bodyTruncated: ['body_truncated', 'boolean'],
      direction: ['direction', 'text'],
    },
    legacy: {
      fromAddress: ['from_address', 'text'],
      toAddresses: ['to_addresses', 'texts'],
      ccAddresses: ['cc_addresses', 'texts'],
      bccAddresses: ['bcc_addresses', 'texts'],
      subject: ['subject', 'text'],
      snippet: ['snippet', 'text'],
      bodyText: ['body_text', 'text'],
      bodyHtml: ['body_html', 'text'],
      uniqueBody: ['unique_body', 'text'],
      messageId: ['message_id', 'text'],
      inReplyTo: ['in_reply_to', 'text'],
      references: ['reference_ids', 'texts'],
    },
    sealed: z.object({
      fromAddress: text,
      toAddresses: texts,
      ccAddresses: texts,
      bccAddresses: texts,
      subject: text,
      snippet: text,
      bodyText: text,
      bodyHtml: text,
      uniqueBody: text,
      // Sealed since migration 1765000000181; rows sealed before it hold them in the plain columns (below).
      messageId: text.optional(),
      inReplyTo: text.optional(),
      references: texts.optional(),
    }),
    addressable: true,
    timeRange: { start: 'sent_at' },
  },
  events: {
    table: 'calendar_events',
    plain: {
      calendarId: ['calendar_id', 'text'],
      startsAt: ['starts_at', 'time'],
      endsAt: ['ends_at', 'time'],
      allDay: ['all_day', 'boolean'],
      eventStatus: ['event_status', 'text'],
    },
    legacy: {
      title: ['title', 'text'],
      description: ['description', 'text'],
      location: ['location', 'text'],
      organizer: ['organizer', 'text'],
      attendees: ['attendees', 'json'],
    },
    sealed: z.object({
      title: text,
      description: text,
      location: text,
      organizer: text,
      attendees: z.array(z.json()),
    }),
    addressable: true,
    timeRange: { start: 'starts_at', end: 'ends_at' },
  },
  contacts: {
    table: 'contacts',
    plain: {},
    legacy: {
      displayName: ['display_name', 'text'],
      givenName: ['given_name', 'text'],
      familyName: ['family_name', 'text'],
      emails: ['emails', 'texts'],
      phones: ['phones', 'texts'],
      company: ['company', 'text'],
      jobTitle: ['job_title', 'text'],
    },
    sealed: z.object({
      displayName: text,
      givenName: text,
      familyName: text,
      emails: texts,
      phones: texts,
      company: text,
      jobTitle: text,
    }),
    addressable: true,
    timeRange: null,
  },
  objects: {
    table: 'crm_objects',
    plain: { objectType: ['object_type', 'text'], remoteUpdatedAt: ['remote_updated_at', 'time'] },
    legacy: { properties: ['properties', 'json'] },
    sealed: z.object({ properties: z.record(z.string(), z.string().nullable()) }),
    addressable: true,
    timeRange: { start: 'remote_updated_at' },
  },
  tasks: {
    table: 'tasks',
    plain: {
      listId: ['list_id', 'text'],
      listTitle: ['list_title', 'text'],
      status: ['status', 'text'],
      dueAt: ['due_at', 'time'],
      completedAt: ['completed_at', 'time'],
    },
    legacy: { title: ['title', 'text'], notes: ['notes', 'text'] },
    sealed: z.object({ title: text, notes: text }),
    addressable: false,
    timeRange: { start: 'due_at' },
  },
};

/** The row key a kind's sealed value is bound to (as the sync engine's records/sealing.ts `rowKeyOf` seals it). */
export function rowKeyOf(kind: Kind, row: { external_id: string; object_type?: string }): string[] {
  return kind === 'objects' ? [String(row.object_type), row.external_id] : [row.external_id];
}
