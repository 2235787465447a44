import { wallToUtc } from '../../core/timeZone';
import { type RenderedError } from '../../core/types';
import { googleError } from '../errors';
import { type CalendarEventData } from './generate';

/**
 * Reads an Event body of events.insert or events.patch as Calendar does for the fields the sandbox keeps (summary,
 * description, location, start, end, attendees, extendedProperties.private), with Calendar's refusals
 * (docs/providers/google.md#calendar-writes). Other Event fields are ignored, as Calendar keeps them without the
 * sandbox needing them.
 */
export type EventFields = Record<string, unknown>;
type Parsed = { ok: true; fields: EventFields } | { ok: false; error: RenderedError };

type Body = Record<string, unknown>;
interface Time {
  ms: number;
  allDay: boolean;
  timeZone?: string;
}

const required = (message: string) => googleError(400, message, { domain: 'global', reason: 'required' });
const invalid = (message: string) => googleError(400, message, { domain: 'global', reason: 'invalid' });
/** Calendar's answer to an end before its start, location as Calendar words it (docs/providers/google.md). */
const timeRangeEmpty = () =>
  googleError(400, 'The specified time range is empty.', {
    domain: 'calendar',
    reason: 'timeRangeEmpty',
    location: 'timeMax',
    locationType: 'parameter',
  });

const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The shape of an address Calendar accepts as an attendee (a looser check than RFC 5322, as Calendar's). */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** A start or end: `date`, or `dateTime` with an offset or a `timeZone` to read it in. */
function timeOf(value: unknown, which: 'start' | 'end'): Time | RenderedError | undefined {
  if (value === undefined || value === null) return undefined;
  const time = value as { date?: unknown; dateTime?: unknown; timeZone?: unknown };
  const zone = typeof time.timeZone === 'string' ? time.timeZone : undefined;
  if (typeof time.date === 'string') {
    if (!DATE.test(time.date) || Number.isNaN(Date.parse(time.date)))
      return invalid(`Invalid ${which} time.`);
    return { ms: Date.parse(`${time.date}T00:00:00Z`), allDay: true };
  }
  if (typeof time.dateTime !== 'string') return undefined;
  if (!DATE_TIME.test(time.dateTime)) return invalid(`Invalid ${which} time.`);
  if (OFFSET.test(time.dateTime)) return { ms: Date.parse(time.dateTime), allDay: false, timeZone: zone };
  if (zone === undefined) return required(`Missing time zone definition for ${which} time.`);
  return { ms: wallToUtc(zone, Date.parse(`${time.dateTime}Z`)), allDay: false, timeZone: zone };
}

function attendeesOf(value: unknown): { emails: string[]; optional: string[] } | RenderedError {
  const list = Array.isArray(value) ? (value as Array<{ email?: unknown; optional?: unknown }>) : [];
  const emails: string[] = [];
  const optional: string[] = [];
  for (const attendee of list) {
    if (typeof attendee.email !== 'string' || attendee.email === '')
      return required('Missing attendee email.');
    if (!EMAIL.test(attendee.email)) return invalid('Invalid attendee email.');
    emails.push(attendee.email);
    if (attendee.optional === true) optional.push(attendee.email);
  }
  return { emails, optional };
}

const isError = (value: unknown): value is RenderedError =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

/** `extendedProperties.private` after a write: insert sets it, patch merges it (a null value removes a key). */
function privateOf(body: Body, before: Record<string, string>): Record<string, string> | undefined {
  const given = (body.extendedProperties as { private?: Record<string, unknown> } | undefined)?.private;
  if (given === undefined || given === null) return undefined;
  const next = { ...before };
  for (const [key, value] of Object.entries(given)) {
    if (value === null) delete next[key];
    else next[key] = String(value);
  }
  return next;
}

/**
 * The fields an insert (`current` undefined: start and end required) or a patch of `current` sets, checked as a
 * whole: a patch that moves only the start still needs an end after it.
 */
export function parseEvent(input: unknown, current?: CalendarEventData): Parsed {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, error: invalid('Invalid JSON payload received.') };
  const body = input as Body;
  const start = timeOf(body.start, 'start');
  const end = timeOf(body.end, 'end');
  if (isError(start)) return { ok: false, error: start };
  if (isError(end)) return { ok: false, error: end };
  const was = (ms: number | undefined, allDay: boolean | undefined) =>
    ms === undefined ? undefined : { ms, allDay: Boolean(allDay) };
  const from = start ?? was(current?.start, current?.allDay);
  const to = end ?? was(current?.end, current?.allDay);
  if (!to) return { ok: false, error: required('Missing end time.') };
  if (!from) return { ok: false, error: required('Missing start time.') };
  if (from.allDay !== to.allDay)
    return {
      ok: false,
      error: invalid('Start and end times must either both be date or both be dateTime.'),
    };
  if (to.ms < from.ms || (to.allDay && to.ms === from.ms)) return { ok: false, error: timeRangeEmpty() };
  const fields: EventFields = { start: from.ms, end: to.ms, allDay: from.allDay };
  const zone = start?.timeZone;
  if (zone !== undefined) fields.timeZone = zone;
  for (const key of ['summary', 'description', 'location'] as const) {
    if (key in body) fields[key] = typeof body[key] === 'string' ? body[key] : '';
  }
  if ('attendees' in body) {
    const attendees = attendeesOf(body.attendees);
    if (isError(attendees)) return { ok: false, error: attendees };
    fields.attendees = attendees.emails;
    fields.optionalAttendees = attendees.optional;
  }
  const properties = privateOf(body, current?.privateProperties ?? {});
  if (properties) fields.privateProperties = properties;
  return { ok: true, fields };
}
