import { type ResourceSyncer } from '@crm-sync/core';
import { type GoogleApiOptions } from '../client';
import { GOOGLE_FIELDS } from '../fields';
import { isCancelled, mapEvent } from '../map';
import { googleIdPass, idsOf } from './idPass';
import { syncTokenSyncer } from './syncTokenRound';

const DAY_MS = 86_400_000;
/** The user's primary calendar: where a CRM user's meetings are. */
const CALENDAR_ID = 'primary';

/**
 * Calendar (`calendar` → `calendar_events`), events.list on the primary calendar
 * (docs/providers/google.md#calendar-sync). Recurring events are expanded (`singleEvents`) so each occurrence is a
 * row; `showDeleted` makes a full round report cancellations too. timeMin bounds only the full round: Google refuses
 * it next to a syncToken.
 */
export function createCalendarSyncer(
  api: GoogleApiOptions,
  options: { pageSize: number },
): ResourceSyncer<'calendar_events'> {
  const windowStart = ({ now, initialWindowDays }: { now: Date; initialWindowDays: number }) => ({
    timeMin: new Date(now.getTime() - initialWindowDays * DAY_MS).toISOString(),
  });
  // timeMin bounds an event's end; one that starts after it ends after it too, so it was listed.
  const listedWindow = ({ timeMin }: Record<string, string>) => ({
    after: timeMin ? new Date(timeMin) : null,
    before: null,
  });
  const syncer = syncTokenSyncer(
    {
      resource: 'calendar',
      table: 'calendar_events',
      fullParams: windowStart,
      listedWindow,
      async list(apis, query) {
        const { data } = await apis.calendar.events.list({
          calendarId: CALENDAR_ID,
          singleEvents: true,
          showDeleted: true,
          maxResults: options.pageSize,
          fields: GOOGLE_FIELDS.events,
          ...query.params,
          ...(query.syncToken ? { syncToken: query.syncToken } : {}),
          ...(query.pageToken ? { pageToken: query.pageToken } : {}),
        });
        return {
          items: data.items ?? [],
          nextPageToken: data.nextPageToken,
          nextSyncToken: data.nextSyncToken,
        };
      },
      deletedId: (event) => (isCancelled(event) ? (event.id ?? undefined) : undefined),
      map: (event) => mapEvent(event, CALENDAR_ID),
    },
    api,
  );
  // The full round's listing without cancellations (which a full round reports as deletions), ids and status only.
  const listIds = googleIdPass(
    {
      resource: 'calendar',
      params: windowStart,
      listedWindow,
      async list(apis, { timeMin }, pageToken) {
        const { data } = await apis.calendar.events.list({
          calendarId: CALENDAR_ID,
          singleEvents: true,
          showDeleted: true,
          maxResults: options.pageSize,
          timeMin,
          fields: 'items(id,status),nextPageToken,nextSyncToken',
          ...(pageToken ? { pageToken } : {}),
        });
        const live = (data.items ?? []).filter((event) => !isCancelled(event));
        return { ids: idsOf(live, (event) => event.id), nextPageToken: data.nextPageToken };
      },
    },
    api,
  );
  return { ...syncer, listIds };
}
