import { mix, pick } from '../../core/random';
import { seriesPlace } from '../../core/series';
import { offsetMinutes, wallToUtc } from '../../core/timeZone';
import { type Account, type ResourceGenerator } from '../../core/types';
import { hexIds, itemTime, num, person, str, TOPICS } from '../data';

export interface CalendarEventData {
  summary: string;
  description: string;
  /** Epoch ms; for all-day events the UTC midnights of the first day and of the day after the last. */
  start: number;
  end: number;
  created: number;
  updated: number;
  attendees: string[];
  /** Empty when the event has no location. */
  location: string;
  /** IANA zone the event was made in; a series repeats at the same local time in it. */
  timeZone: string;
  allDay: boolean;
  /** A cancelled occurrence of a series (the series goes on). */
  cancelled: boolean;
  /** For occurrences of a weekly series: which one, and when it was scheduled before any edit. */
  series?: { root: number; index: number; count: number; originalStart: number; originalEnd: number };
  /** An occurrence edited away from its series (moved, renamed). */
  exception: boolean;
  /** Attendees marked optional (a subset of `attendees`; written events only). */
  optionalAttendees?: string[];
  /** `extendedProperties.private` (written events only; docs/providers/google.md#calendar-writes). */
  privateProperties?: Record<string, string>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'];
const SERIES_SALT = 22;
const ids = hexIds(22);

/** A series' local start time, repeated weekly in its zone. */
function occurrenceStart(zone: string, firstStart: number, index: number): number {
  return wallToUtc(zone, firstStart + offsetMinutes(zone, firstStart) * 60_000 + index * WEEK);
}

const stampOf = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

/**
 * Calendar's id of an item: occurrences are `<series id>_<original start, UTC basic format>` as Google writes them.
 * Without `data` (a deleted item) the generated form tells, as an occurrence never leaves its series.
 */
export function calendarWireId(account: Account, id: string, data?: CalendarEventData): string {
  const series = (data ?? baseOf(account, id))?.series;
  return series ? `${ids.idFor(account, series.root)}_${stampOf(series.originalStart)}` : id;
}

/** The generated form of an item, whatever happened to it since. */
export function baseOf(account: Account, id: string): CalendarEventData | undefined {
  const ordinal = ids.ordinalOf(account, id);
  const size = account.sizes[calendarEvents.resource] ?? 0;
  return ordinal === undefined ? undefined : calendarEvents.make(account, ordinal, size);
}

/** An item's ordinal from its stored id or, for an occurrence, its instance id (as Calendar addresses instances). */
function ordinalOf(account: Account, id: string): number | undefined {
  const [seriesId, stamp, ...rest] = id.split('_');
  const root = ids.ordinalOf(account, seriesId as string);
  if (stamp === undefined || root === undefined) return rest.length === 0 ? root : undefined;
  const size = account.sizes[calendarEvents.resource] ?? 0;
  const count = seriesPlace(account.seed, SERIES_SALT, root, size)?.count ?? 0;
  for (let index = 0; index < count; index += 1) {
    const { series } = calendarEvents.make(account, root + index, size);
    if (series && stampOf(series.originalStart) === stamp) return root + index;
  }
  return undefined;
}

const isTextRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');

export const calendarEvents: ResourceGenerator<CalendarEventData> = {
  provider: 'google',
  resource: 'events',
  idFor: ids.idFor,
  ordinalOf,
  make(account, ordinal, size) {
    const place = seriesPlace(account.seed, SERIES_SALT, ordinal, size);
    const root = place?.root ?? ordinal;
    const created = itemTime(account, root, size, HOUR);
    const other = person(account.seed, root + 100_000);
    const timeZone = pick(ZONES, mix(account.seed, root + 57));
    // Events sit between a month before and a month after account creation, on the hour.
    const first =
      Math.floor(account.createdAt / HOUR) * HOUR + ((mix(account.seed, root + 11) % 1440) - 720) * HOUR;
    const duration = (1 + (mix(account.seed, root + 5) % 4)) * 1_800_000;
    const common = {
      summary: `${pick(TOPICS, mix(account.seed, root + 3))} with ${other.first}`,
      description: `Agenda item ${root}`,
      created,
      updated: created,
      attendees: [account.email, other.email],
      location: mix(account.seed, root + 63) % 3 === 0 ? `Room ${mix(account.seed, root + 65) % 40}` : '',
      timeZone,
      cancelled: false,
      exception: false,
    };
    if (place) {
      const originalStart = occurrenceStart(timeZone, first, place.index);
      const moved = place.index === 2 && mix(account.seed, root + 59) % 2 === 0;
      return {
        ...common,
        ...(moved ? { summary: `${common.summary} (moved)`, exception: true } : {}),
        start: originalStart + (moved ? HOUR : 0),
        end: originalStart + duration + (moved ? HOUR : 0),
        allDay: false,
        cancelled: place.index === 4 && mix(account.seed, root + 61) % 3 === 0,
        series: { ...place, originalStart, originalEnd: originalStart + duration },
      };
    }
    if (mix(account.seed, ordinal + 55) % 6 === 0) {
      const day = Math.floor(first / DAY) * DAY;
      return {
        ...common,
        start: day,
        end: day + (1 + (mix(account.seed, ordinal + 5) % 3)) * DAY,
        allDay: true,
      };
    }
    return { ...common, start: first, end: first + duration, allDay: false };
  },
  apply(item, fields, _account, now) {
    const next = {
      ...item,
      summary: str(fields, 'summary', item.summary),
      description: str(fields, 'description', item.description),
      location: str(fields, 'location', item.location),
      start: num(fields, 'start', item.start),
      end: num(fields, 'end', item.end),
      attendees: Array.isArray(fields.attendees) ? fields.attendees.map(String) : item.attendees,
      cancelled: typeof fields.cancelled === 'boolean' ? fields.cancelled : item.cancelled,
      allDay: typeof fields.allDay === 'boolean' ? fields.allDay : item.allDay,
      created: num(fields, 'created', item.created),
      timeZone: str(fields, 'timeZone', item.timeZone),
      ...(Array.isArray(fields.optionalAttendees)
        ? { optionalAttendees: fields.optionalAttendees.map(String) }
        : {}),
      ...(isTextRecord(fields.privateProperties) ? { privateProperties: fields.privateProperties } : {}),
      updated: now,
    };
    // Any edit of one occurrence but its cancellation makes it an exception to its series.
    const edited = Object.keys(fields).some((key) => key !== 'cancelled');
    return { ...next, exception: item.exception || (item.series !== undefined && edited) };
  },
};
