import { mix, pick } from '../../core/random';
import { seriesPlace } from '../../core/series';
import { offsetMinutes, wallToUtc } from '../../core/timeZone';
import { type Account } from '../../core/types';
import { IDS, iso, MINUTE, owaLink, person, TOPICS } from './fake';
import { type GraphEvent } from './types';

export type EventData = Omit<GraphEvent, 'id' | 'changeKey'>;

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** IANA zones the events are made in, with the Windows names Outlook stores (`originalStartTimeZone`). */
const ZONES = [
  ['UTC', 'UTC'],
  ['America/New_York', 'Eastern Standard Time'],
  ['Europe/Berlin', 'W. Europe Standard Time'],
  ['Asia/Kolkata', 'India Standard Time'],
] as const;
const SERIES_SALT = 33;

/** Graph's event times: no offset, seven fractional digits, in the zone named beside them (UTC here). */
const utc = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace('Z', '0000'), timeZone: 'UTC' });

/** A series master's id: not an item of calendarView (which lists occurrences), but named by each of them. */
const seriesMasterId = (account: Account, root: number) =>
  `AAMkAGS${Buffer.from(`${account.seed.toString(36)}.${root}`).toString('base64url')}`;

/** When an event happens: a weekly series repeats at the same local time in its zone; all-day events are whole days. */
function timing(account: Account, ordinal: number, size: number) {
  const place = seriesPlace(account.seed, SERIES_SALT, ordinal, size);
  const root = place?.root ?? ordinal;
  const seed = mix(account.seed, root);
  const [zone, windowsZone] = pick(ZONES, mix(account.seed, root + 57));
  // Spread events from ~30 days before account creation to ~60 days after, on the half hour.
  const first =
    Math.floor((account.createdAt - 30 * DAY + (seed % (90 * 48)) * 30 * MINUTE) / (30 * MINUTE)) *
    30 *
    MINUTE;
  const duration = (1 + (seed % 4)) * 30 * MINUTE;
  if (place) {
    const start = wallToUtc(zone, first + offsetMinutes(zone, first) * MINUTE + place.index * 7 * DAY);
    return { place, root, windowsZone, start, end: start + duration, allDay: false };
  }
  if (mix(account.seed, ordinal + 55) % 6 === 0) {
    // All-day events run midnight to midnight; the sandbox makes them in UTC, so they read so in UTC too.
    const day = Math.floor(first / DAY) * DAY;
    return { place, root, windowsZone: 'UTC', start: day, end: day + (1 + (seed % 3)) * DAY, allDay: true };
  }
  return { place, root, windowsZone, start: first, end: first + duration, allDay: false };
}

/**
 * An event as calendarView lists it, with every default property: a single instance, an all-day event, or one
 * occurrence of a weekly series (`type`, `seriesMasterId`), some moved (`exception`) and some cancelled by their
 * organizer (`isCancelled`); https://learn.microsoft.com/graph/api/resources/event.
 */
export function makeEvent(account: Account, ordinal: number, size: number): EventData {
  const { place, root, windowsZone, start, end, allDay } = timing(account, ordinal, size);
  const seed = mix(account.seed, root);
  const moved = place !== undefined && place.index === 2 && mix(account.seed, root + 59) % 2 === 0;
  const shift = moved ? HOUR : 0;
  const organizer = person(seed, 1);
  const subject = `${pick(TOPICS, seed)} meeting #${root}${moved ? ' (moved)' : ''}`;
  const online = seed % 2 === 0;
  const room = {
    displayName: `Room ${seed % 40}`,
    locationType: 'default',
    uniqueId: `Room ${seed % 40}`,
    uniqueIdType: 'private',
  } as const;
  const created = iso(account.createdAt - 40 * DAY);
  return {
    createdDateTime: created,
    lastModifiedDateTime: created,
    categories: seed % 5 === 0 ? ['Customer'] : [],
    transactionId: null,
    originalStartTimeZone: windowsZone,
    originalEndTimeZone: windowsZone,
    iCalUId: `040000008200E00074C5B7101A82E008${seed.toString(16).padStart(8, '0')}${root}`,
    reminderMinutesBeforeStart: allDay ? 1080 : 15,
    isReminderOn: !allDay,
    hasAttachments: false,
    subject,
    bodyPreview: `Agenda: ${subject}`,
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: allDay,
    isCancelled: place !== undefined && place.index === 4 && mix(account.seed, root + 61) % 3 === 0,
    isOrganizer: false,
    responseRequested: true,
    seriesMasterId: place ? seriesMasterId(account, root) : null,
    showAs: allDay ? 'free' : 'busy',
    type: place ? (moved ? 'exception' : 'occurrence') : 'singleInstance',
    webLink: owaLink(IDS.events.idFor(account, ordinal), 'path=/calendar/item'),
    onlineMeetingUrl: null,
    isOnlineMeeting: online,
    onlineMeetingProvider: online ? 'teamsForBusiness' : 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    recurrence: null,
    responseStatus: { response: 'accepted', time: iso(start - DAY) },
    body: { contentType: 'html', content: `<html><body><p>Agenda: ${subject}</p></body></html>` },
    start: utc(start + shift),
    end: utc(end + shift),
    location: online
      ? { displayName: 'Microsoft Teams Meeting', locationType: 'default', uniqueIdType: 'unknown' }
      : room,
    locations: online ? [] : [room],
    attendees: [
      {
        type: 'required',
        status: { response: 'accepted', time: iso(start - DAY) },
        emailAddress: { name: account.email, address: account.email },
      },
    ],
    organizer: { emailAddress: organizer },
    onlineMeeting: online
      ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/${seed.toString(36)}` }
      : null,
  };
}
