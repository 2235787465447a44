import { type CalendarEventRecord, type ContactRecord, type JsonValue } from '@crm-sync/core';
// Type-only: the generated typings describe the wire shapes; nothing of these modules runs here.
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar';
import type { people_v1 } from 'googleapis/build/src/apis/people';

/**
 * Pure mapping of Calendar and People items onto CRM records (Gmail messages: mailMessage.ts). Every field of the generated types is optional
 * and nullable, so each falls back to null or an empty list rather than trusting a shape.
 */

/** The person fields `mapPerson` reads, plus `metadata` for `deleted` (docs/providers/google.md#people-sync). */
export const PERSON_FIELDS = 'names,emailAddresses,phoneNumbers,organizations,metadata';

function text(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function instant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at);
}

function requireId(id: string | null | undefined, what: string): string {
  // A listed item always has an id; one without is a provider bug the engine must not store under "".
  if (!id) throw new Error(`Google ${what} without an id`);
  return id;
}

/** An all-day event has `date` (YYYY-MM-DD, no zone); it is stored as that day's start in UTC. */
function eventTime(time: calendar_v3.Schema$EventDateTime | undefined): Date | null {
  if (time?.dateTime) return instant(time.dateTime);
  return time?.date ? instant(`${time.date}T00:00:00Z`) : null;
}

function attendee(entry: calendar_v3.Schema$EventAttendee): JsonValue {
  // The same shape as the Microsoft mapping, so CRM readers need not know the provider.
  return {
    email: text(entry.email),
    name: text(entry.displayName),
    type: entry.resource ? 'resource' : entry.optional ? 'optional' : 'required',
    response: entry.responseStatus ?? null,
  };
}

export function mapEvent(event: calendar_v3.Schema$Event, calendarId: string): CalendarEventRecord {
  return {
    externalId: requireId(event.id, 'event'),
    calendarId,
    title: text(event.summary),
    description: text(event.description),
    location: text(event.location),
    startsAt: eventTime(event.start),
    endsAt: eventTime(event.end),
    allDay: Boolean(event.start?.date && !event.start.dateTime),
    eventStatus: event.status ?? null,
    organizer: text(event.organizer?.email),
    attendees: (event.attendees ?? []).map(attendee),
  };
}

/** Google marks one entry of each list `primary`; without one the first is the best guess. */
function primary<T extends { metadata?: people_v1.Schema$FieldMetadata }>(
  items: T[] | undefined,
): T | undefined {
  return (items ?? []).find((i) => i.metadata?.primary === true) ?? items?.[0];
}

function values(items: Array<{ value?: string | null }> | undefined): string[] {
  return (items ?? []).map((i) => text(i.value)).filter((v): v is string => v !== null);
}

export function mapPerson(person: people_v1.Schema$Person): ContactRecord {
  const name = primary(person.names);
  const organization = primary(person.organizations);
  return {
    externalId: requireId(person.resourceName, 'person'),
    displayName: text(name?.displayName),
    givenName: text(name?.givenName),
    familyName: text(name?.familyName),
    emails: values(person.emailAddresses),
    phones: values(person.phoneNumbers),
    company: text(organization?.name),
    jobTitle: text(organization?.title),
  };
}

/** Calendar reports deletions as events with status `cancelled` (docs/providers/google.md#calendar-sync). */
export const isCancelled = (event: calendar_v3.Schema$Event): boolean => event.status === 'cancelled';

/**
 * People reports deletions in sync responses as a person with `metadata.deleted`
 * (docs/providers/google.md#people-sync).
 */
export const isDeletedPerson = (person: people_v1.Schema$Person): boolean =>
  person.metadata?.deleted === true;

/**
 * A contact's resourceName changes when Google links or unlinks it with a profile; sync responses then name the old
 * ones in `metadata.previousResourceNames` (docs/providers/google.md#people-sync). The engine applies a page's
 * upserts before its deletes, so the row under the new name is written and the old rows are marked deleted.
 */
export function replacedResourceNames(person: people_v1.Schema$Person): string[] {
  const current = person.resourceName;
  return (person.metadata?.previousResourceNames ?? []).filter((name) => name !== '' && name !== current);
}
