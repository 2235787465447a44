import type { Item, Kind } from '@crm-sync/reader';
import { z } from 'zod';

// The read API's records as JSON: the reader's typed records with times as RFC 3339 strings.

const text = z.string().nullable();
const texts = z.array(z.string());
const time = z.string().nullable();

const RECORDS = {
  emails: z.object({
    externalId: z.string(),
    threadId: text,
    fromAddress: text,
    toAddresses: texts,
    ccAddresses: texts,
    bccAddresses: texts,
    subject: text,
    sentAt: time,
    labels: texts,
    snippet: text,
    bodyText: text,
    bodyHtml: text,
    uniqueBody: text,
    bodyTruncated: z.boolean(),
    messageId: text,
    inReplyTo: text,
    references: texts,
    direction: z.string(),
  }),
  events: z.object({
    externalId: z.string(),
    calendarId: text,
    title: text,
    description: text,
    location: text,
    startsAt: time,
    endsAt: time,
    allDay: z.boolean(),
    eventStatus: text,
    organizer: text,
    // JSON values as the provider gave them (z.json() is recursive, which the OpenAPI transform cannot name).
    attendees: z.array(z.unknown()),
  }),
  contacts: z.object({
    externalId: z.string(),
    displayName: text,
    givenName: text,
    familyName: text,
    emails: texts,
    phones: texts,
    company: text,
    jobTitle: text,
  }),
  objects: z.object({
    externalId: z.string(),
    objectType: z.string(),
    properties: z.record(z.string(), z.string().nullable()),
    remoteUpdatedAt: time,
  }),
  tasks: z.object({
    externalId: z.string(),
    listId: z.string(),
    listTitle: text,
    title: text,
    notes: text,
    status: z.string(),
    dueAt: time,
    completedAt: time,
  }),
} satisfies Record<Kind, z.ZodType>;

/** One page as the API answers it: live rows with their record, deletions (change feed) with ids only. */
export function pageView<K extends Kind>(kind: K) {
  const item = z.discriminatedUnion('deleted', [
    z.object({
      deleted: z.literal(false),
      id: z.string(),
      externalId: z.string(),
      updatedAt: z.string(),
      record: RECORDS[kind],
    }),
    z.object({
      deleted: z.literal(true),
      id: z.string(),
      externalId: z.string(),
      objectType: z.string().optional(),
      updatedAt: z.string(),
      deletedAt: z.string(),
    }),
  ]);
  return z.object({ items: z.array(item), nextCursor: z.string(), hasMore: z.boolean() });
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** An item with its times as strings (records are flat: only top-level fields are times). */
export function itemView<K extends Kind>(item: Item<K>): Record<string, unknown> {
  if (item.deleted) {
    return { ...item, updatedAt: item.updatedAt.toISOString(), deletedAt: item.deletedAt.toISOString() };
  }
  const record: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(item.record)) record[field] = iso(value);
  return { ...item, updatedAt: item.updatedAt.toISOString(), record };
}
