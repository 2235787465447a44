import {
  type CalendarEventRecord,
  type ContactRecord,
  type EmailRecord,
  type JsonValue,
} from '@crm-sync/core';
// Type-only: the official Graph typings describe what delta pages carry; nothing of the package runs here.
import type {
  Attendee,
  Contact,
  DateTimeTimeZone,
  Event,
  Message,
  Recipient,
} from '@microsoft/microsoft-graph-types';
import { capBody, type MailBodyOptions } from '../shared/mailBody';
import { directionOf, threadingOf } from './mailContent';

/**
 * Pure mapping of Graph items onto CRM records. Every Graph property is optional and nullable (and a `$select`
 * leaves out the rest), so each field falls back to null or an empty list rather than trusting a shape.
 */

/** The message properties `mapMessage` reads: the `$select` of the mail delta request. */
export const MESSAGE_FIELDS = [
  'conversationId',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'subject',
  'sentDateTime',
  'receivedDateTime',
  'categories',
  'flag',
  'importance',
  'isRead',
  'isDraft',
  'bodyPreview',
  'body',
  'uniqueBody',
  'bccRecipients',
  'internetMessageId',
  'internetMessageHeaders',
  'hasAttachments',
] as const satisfies readonly (keyof Message)[];

/** The contact properties `mapContact` reads. (calendarView delta accepts no `$select`.) */
export const CONTACT_FIELDS = [
  'displayName',
  'givenName',
  'surname',
  'emailAddresses',
  'businessPhones',
  'homePhones',
  'mobilePhone',
  'companyName',
  'jobTitle',
] as const satisfies readonly (keyof Contact)[];

/** Empty strings are what Outlook stores for "not set"; the CRM columns use null for that. */
function text(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function address(recipient: Recipient | null | undefined): string | null {
  return text(recipient?.emailAddress?.address);
}

function addresses(recipients: Recipient[] | null | undefined): string[] {
  return (recipients ?? []).map(address).filter((a): a is string => a !== null);
}

function instant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function requireId(item: { id?: string }, kind: string): string {
  // Graph returns `id` whatever the `$select`; an item without one is a protocol violation, not data.
  if (typeof item.id !== 'string' || item.id === '') throw new TypeError(`Graph ${kind} without an id`);
  return item.id;
}

/**
 * Outlook state as labels, named like Gmail's system labels so the CRM can treat both alike; the user's categories
 * come first, verbatim. Only state a CRM user acts on: unread, flagged for follow-up, high importance, draft.
 */
function messageLabels(message: Message): string[] {
  const labels = [...(message.categories ?? [])];
  if (message.isRead === false) labels.push('UNREAD');
  if (message.flag?.flagStatus === 'flagged') labels.push('FLAGGED');
  if (message.importance === 'high') labels.push('IMPORTANT');
  if (message.isDraft === true) labels.push('DRAFT');
  return labels;
}

/**
 * `body` and `uniqueBody` come as the syncer's `Prefer: outlook.body-content-type` asks (html or text), so `body`
 * fills one of the two body columns; the cap cuts either and flags the record. Attachments are listed separately
 * (mailContent.ts `withAttachments`); `owner` is the mailbox owner's addresses (direction).
 */
export function mapMessage(message: Message, body: MailBodyOptions, owner: ReadonlySet<string>): EmailRecord {
  const capped = capBody(message.body?.content, body.maxBytes);
  const unique = capBody(message.uniqueBody?.content, body.maxBytes);
  const isHtml = message.body?.contentType === 'html';
  const fromAddress = address(message.from) ?? address(message.sender);
  return {
    externalId: requireId(message, 'message'),
    threadId: text(message.conversationId),
    // `from` is who wrote it, `sender` who sent it on their behalf; they differ only for delegates.
    fromAddress,
    toAddresses: addresses(message.toRecipients),
    ccAddresses: addresses(message.ccRecipients),
    subject: text(message.subject),
    // Drafts have no sentDateTime; received is then the best "when" the message has.
    sentAt: instant(message.sentDateTime) ?? instant(message.receivedDateTime),
    labels: messageLabels(message),
    snippet: text(message.bodyPreview),
    bccAddresses: addresses(message.bccRecipients),
    bodyText: isHtml ? null : capped.text,
    bodyHtml: isHtml ? capped.text : null,
    uniqueBody: unique.text,
    bodyTruncated: capped.truncated || unique.truncated,
    messageId: text(message.internetMessageId),
    ...threadingOf(message),
    direction: directionOf(fromAddress, owner),
    attachments: [],
  };
}

const UTC_ZONES = new Set(['utc', 'etc/utc', 'coordinated universal time', 'gmt']);

/**
 * Graph event times are a zone-less local time plus a zone name. The syncer asks for UTC (`Prefer:
 * outlook.timezone="UTC"`, also the default), so anything else cannot be placed without a Windows-zone table and
 * is left null rather than guessed.
 */
export function eventInstant(value: DateTimeTimeZone | null | undefined): Date | null {
  const dateTime = value?.dateTime;
  if (!dateTime) return null;
  if (/(?:[zZ]|[+-]\d\d:\d\d)$/.test(dateTime)) return instant(dateTime);
  const zone = (value.timeZone ?? 'UTC').toLowerCase();
  return UTC_ZONES.has(zone) ? instant(`${dateTime}Z`) : null;
}

function attendee(entry: Attendee): JsonValue {
  return {
    email: text(entry.emailAddress?.address),
    name: text(entry.emailAddress?.name),
    type: entry.type ?? null,
    response: entry.status?.response ?? null,
  };
}

export function mapEvent(event: Event): CalendarEventRecord {
  const body = event.body?.contentType === 'text' ? text(event.body.content) : null;
  return {
    externalId: requireId(event, 'event'),
    // calendarView/delta covers the user's default calendar, which Graph does not name on the event.
    calendarId: null,
    title: text(event.subject),
    // A text body is kept whole; an HTML one is represented by Graph's plain-text preview (255 characters).
    description: body ?? text(event.bodyPreview),
    location: text(event.location?.displayName),
    startsAt: eventInstant(event.start),
    endsAt: eventInstant(event.end),
    allDay: event.isAllDay === true,
    eventStatus: event.isCancelled === true ? 'cancelled' : 'confirmed',
    organizer: address(event.organizer),
    attendees: (event.attendees ?? []).map(attendee),
  };
}

export function mapContact(contact: Contact): ContactRecord {
  const phones = [...(contact.businessPhones ?? []), contact.mobilePhone, ...(contact.homePhones ?? [])];
  return {
    externalId: requireId(contact, 'contact'),
    displayName: text(contact.displayName),
    givenName: text(contact.givenName),
    familyName: text(contact.surname),
    emails: (contact.emailAddresses ?? []).map((e) => text(e.address)).filter((a): a is string => a !== null),
    phones: phones.map(text).filter((p): p is string => p !== null),
    company: text(contact.companyName),
    jobTitle: text(contact.jobTitle),
  };
}
