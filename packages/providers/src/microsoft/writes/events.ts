import type { EventFieldsV1, EventWrite, ResourceWriter } from '@crm-sync/core';
import type { DateTimeTimeZone, Event } from '@microsoft/microsoft-graph-types';
import { type GraphAccess } from '../client';
import { MICROSOFT_DESCRIPTOR } from '../descriptor';
import { mapEvent } from '../map';
import { graphWriter } from './graphItems';

type Time = NonNullable<EventFieldsV1['start']>;

/** Graph's `dateTimeTimeZone`: a wall time and its zone; we send UTC (an all-day event: midnight of its date). */
function graphTime(time: Time): DateTimeTimeZone {
  const ms = 'dateTime' in time ? Date.parse(time.dateTime) : Date.parse(`${time.date}T00:00:00Z`);
  return { dateTime: new Date(ms).toISOString().replace('Z', ''), timeZone: 'UTC' };
}

/**
 * CRM event fields as Graph event properties; the description is a text body. Graph has no `sendUpdates`: an
 * organizer's change is sent to the attendees (docs/providers/microsoft.md#contact-and-event-writes).
 */
function toEvent(f: EventFieldsV1): Event {
  return {
    ...('title' in f ? { subject: f.title ?? '' } : {}),
    ...('description' in f ? { body: { contentType: 'text', content: f.description ?? '' } } : {}),
    ...('location' in f ? { location: { displayName: f.location ?? '' } } : {}),
    ...(f.start ? { start: graphTime(f.start), isAllDay: 'date' in f.start } : {}),
    ...(f.end ? { end: graphTime(f.end) } : {}),
    ...(f.attendees
      ? {
          attendees: f.attendees.map((a) => ({
            emailAddress: { address: a.email },
            type: a.optional ? ('optional' as const) : ('required' as const),
          })),
        }
      : {}),
  };
}

/** Events of the default calendar (`/me/events`, the calendar the calendarView sync reads). */
export function createGraphEventsWriter(access: GraphAccess): ResourceWriter<EventWrite> {
  return graphWriter<EventWrite, Event>(access, MICROSOFT_DESCRIPTOR.writeScopesByResource.events, {
    path: '/me/events',
    // Times in UTC, as the sync reads them (sync/calendar.ts).
    prefer: 'IdType="ImmutableId", outlook.timezone="UTC"',
    toBody: (write) => toEvent(write.fields),
    map: mapEvent,
  });
}
