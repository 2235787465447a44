import { rfc3339InZone } from '../../core/timeZone';
import { type Account, type StoredItem } from '../../core/types';
import { calendarEvents, calendarWireId, type CalendarEventData } from './generate';

const iso = (ms: number) => new Date(ms).toISOString();
const date = (ms: number) => iso(ms).slice(0, 10);

/** Timed events carry `dateTime` with the offset of their zone and the zone; all-day ones a `date` only. */
function when(data: CalendarEventData, ms: number) {
  return data.allDay
    ? { date: date(ms) }
    : { dateTime: rfc3339InZone(data.timeZone, ms), timeZone: data.timeZone };
}

function seriesLink(account: Account, data: CalendarEventData) {
  if (!data.series) return {};
  return {
    recurringEventId: calendarEvents.idFor(account, data.series.root),
    originalStartTime: {
      dateTime: rfc3339InZone(data.timeZone, data.series.originalStart),
      timeZone: data.timeZone,
    },
  };
}

function eventFields(account: Account, item: StoredItem<CalendarEventData>, id: string) {
  const { data } = item;
  return {
    kind: 'calendar#event',
    etag: `"${item.seq}"`,
    id,
    status: 'confirmed',
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${account.email}`).toString('base64url')}`,
    created: iso(data.created),
    updated: iso(data.updated),
    summary: data.summary,
    description: data.description,
    ...(data.location === '' ? {} : { location: data.location }),
    creator: { email: account.email, self: true },
    organizer: { email: account.email, self: true },
  };
}

const attendeesOf = (account: Account, data: CalendarEventData) =>
  data.attendees.map((email) => ({
    email,
    ...(data.optionalAttendees?.includes(email) ? { optional: true } : {}),
    responseStatus: email === account.email ? 'accepted' : 'needsAction',
    ...(email === account.email ? { self: true, organizer: true } : {}),
  }));

/** Private extended properties show only on the calendar that set them (here: the account's own). */
const extendedOf = (data: CalendarEventData) =>
  data.privateProperties && Object.keys(data.privateProperties).length > 0
    ? { extendedProperties: { private: data.privateProperties } }
    : {};

/**
 * A Calendar Event resource (calendar_v3.Schema$Event): a single event, or one occurrence of a series with
 * `recurringEventId` and `originalStartTime` (https://developers.google.com/workspace/calendar/api/guides/recurringevents).
 * All-day events default to free time (`transparency: transparent`).
 */
export function renderEvent(account: Account, item: StoredItem<CalendarEventData>) {
  const { data } = item;
  const id = calendarWireId(account, item.id, data);
  return {
    ...eventFields(account, item, id),
    start: when(data, data.start),
    end: when(data, data.end),
    ...seriesLink(account, data),
    ...(data.allDay ? { transparency: 'transparent' } : {}),
    iCalUID: `${data.series ? calendarEvents.idFor(account, data.series.root) : item.id}@google.com`,
    sequence: data.exception ? 1 : 0,
    attendees: attendeesOf(account, data),
    ...extendedOf(data),
    reminders: { useDefault: !data.allDay },
    eventType: 'default',
  };
}

/** The series master of the series `item` opens (singleEvents=false): the weekly rule and the first occurrence's times. */
export function renderMaster(account: Account, item: StoredItem<CalendarEventData>) {
  const { data } = item;
  const series = data.series as NonNullable<CalendarEventData['series']>;
  return {
    ...eventFields(account, item, item.id),
    start: when(data, series.originalStart),
    end: when(data, series.originalEnd),
    recurrence: [`RRULE:FREQ=WEEKLY;COUNT=${series.count}`],
    iCalUID: `${item.id}@google.com`,
    sequence: 0,
    attendees: attendeesOf(account, data),
    reminders: { useDefault: true },
    eventType: 'default',
  };
}

/**
 * Deletions and cancelled occurrences carry little more than id and status (docs/providers/google.md#calendar-sync);
 * a cancelled occurrence also names its series and original start.
 */
export function renderCancelled(account: Account, id: string, seq: number, data?: CalendarEventData) {
  return {
    kind: 'calendar#event',
    etag: `"${seq}"`,
    id: data ? calendarWireId(account, id, data) : id,
    status: 'cancelled',
    ...(data ? seriesLink(account, data) : {}),
  };
}

export function calendarListEntry(account: Account) {
  return {
    kind: 'calendar#calendarListEntry',
    etag: `"${account.seed}"`,
    id: account.email,
    summary: account.email,
    timeZone: 'UTC',
    colorId: '14',
    backgroundColor: '#9fe1e7',
    foregroundColor: '#000000',
    selected: true,
    accessRole: 'owner',
    defaultReminders: [{ method: 'popup', minutes: 10 }],
    primary: true,
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  };
}
