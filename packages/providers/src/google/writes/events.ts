import type { EventFieldsV1, EventWrite, ResourceWriter } from '@crm-sync/core';
import { GaxiosError } from 'gaxios';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar';
import { conditionalWriter } from '../../shared/conditionalWriter';
import { googleApisFor, type GoogleApiOptions } from '../client';
import { GOOGLE_DESCRIPTOR } from '../descriptor';
import { isCancelled, mapEvent } from '../map';

/** The private extended property a created event carries the write's id under (docs/providers/google.md). */
export const EVENT_KEY_NAME = 'crm-sync-write';
/** The sync's calendar (sync/calendar.ts): writes go where the CRM reads events from. */
const CALENDAR_ID = 'primary';

/** CRM fields as a Calendar Event; a null clears the field (patch semantics), an absent one is left alone. */
const toEvent = (f: EventFieldsV1): calendar_v3.Schema$Event => ({
  ...('title' in f ? { summary: f.title ?? null } : {}),
  ...('description' in f ? { description: f.description ?? null } : {}),
  ...('location' in f ? { location: f.location ?? null } : {}),
  ...(f.start ? { start: f.start } : {}),
  ...(f.end ? { end: f.end } : {}),
  ...(f.attendees
    ? { attendees: f.attendees.map((a) => ({ email: a.email, ...(a.optional ? { optional: true } : {}) })) }
    : {}),
});

const status = (error: unknown) => (error instanceof GaxiosError ? error.response?.status : undefined);

/**
 * Calendar events on the primary calendar (docs/providers/google.md#calendar-writes): insert tagged with the write's
 * id in `extendedProperties.private` and found by `privateExtendedProperty` on a retry; patch and delete with
 * `If-Match: <etag>` (412 when the event changed since), each with the write's `sendUpdates`.
 */
export function createEventsWriter(api: GoogleApiOptions): ResourceWriter<EventWrite> {
  return conditionalWriter<EventWrite, calendar_v3.Schema$Event>(
    GOOGLE_DESCRIPTOR.writeScopesByResource.events,
    { isStale: (error) => status(error) === 412, isGone: (error) => [404, 410].includes(status(error) ?? 0) },
    (accessToken) => {
      const events = googleApisFor(accessToken, api).calendar.events;
      const ifMatch = (etag: string) => ({ headers: { 'If-Match': etag } });
      return {
        async create(write, clientKey) {
          const requestBody = {
            ...toEvent(write.fields),
            extendedProperties: { private: { [EVENT_KEY_NAME]: clientKey } },
          };
          return (
            await events.insert({ calendarId: CALENDAR_ID, sendUpdates: write.sendUpdates, requestBody })
          ).data;
        },
        async findTagged(clientKey) {
          const { data } = await events.list({
            calendarId: CALENDAR_ID,
            privateExtendedProperty: [`${EVENT_KEY_NAME}=${clientKey}`],
            maxResults: 1,
          });
          return data.items?.[0];
        },
        async update(write) {
          const params = {
            calendarId: CALENDAR_ID,
            eventId: write.externalId,
            sendUpdates: write.sendUpdates,
            requestBody: toEvent(write.fields),
          };
          return (await events.patch(params, ifMatch(write.baseVersion))).data;
        },
        async remove(write) {
          const params = {
            calendarId: CALENDAR_ID,
            eventId: write.externalId,
            sendUpdates: write.sendUpdates,
          };
          await events.delete(params, ifMatch(write.baseVersion));
        },
        async current(eventId) {
          try {
            const { data } = await events.get({ calendarId: CALENDAR_ID, eventId });
            // A deleted event still reads, as cancelled.
            return isCancelled(data) ? undefined : data;
          } catch (error) {
            if ([404, 410].includes(status(error) ?? 0)) return undefined;
            throw error;
          }
        },
        describe: (event) => ({
          externalId: event.id ?? '',
          version: event.etag ?? null,
          record: mapEvent(event, CALENDAR_ID),
        }),
      };
    },
  );
}
