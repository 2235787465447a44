import {
  type CalendarEventRecord,
  ClassifiedProviderError,
  type ListedWindow,
  type ResourceSyncer,
  type SyncPage,
  type SyncRequest,
} from '@crm-sync/core';
import { type Client, type GraphRequest } from '@microsoft/microsoft-graph-client';
import type { Event } from '@microsoft/microsoft-graph-types';
import { guarded } from '../../shared/guard';
import { type GraphAccess } from '../client';
import { classifyMicrosoftError } from '../errors';
import { mapEvent } from '../map';
import { type DeltaOptions, type DeltaResponse, type FirstRequest, onOrigin, toPage } from './delta';
import { graphIdPass } from './idPass';
import { roundWindow, withWindow } from './listedWindow';
import { daysFrom } from './window';

/** How far ahead the calendar window reaches: a CRM cares about meetings already booked for the coming year. */
export const CALENDAR_DAYS_AHEAD = 365;
/**
 * An incremental round whose window ends within this many days starts a new window (`renewalPage`): calendarView
 * delta keeps its window fixed inside its links (https://learn.microsoft.com/graph/api/event-delta; changing
 * `startDateTime`/`endDateTime` needs a new initial round), so without this events beyond the first window's end
 * would wait for a full round.
 */
export const RENEW_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The default calendar's events (`calendar` → `calendar_events`) through calendarView delta, which expands
 * recurrences into occurrences within a window. calendarView delta takes no `$select`.
 */
export function calendarFirstRequest({
  now,
  initialWindowDays,
}: Pick<SyncRequest, 'now' | 'initialWindowDays'>): FirstRequest {
  return {
    path: '/me/calendarView/delta',
    query: {
      startDateTime: daysFrom(now, -initialWindowDays),
      endDateTime: daysFrom(now, CALENDAR_DAYS_AHEAD),
    },
  };
}

/** An event starting inside calendarView's window overlaps it, so the round listed it. */
export function calendarWindow(request: Pick<SyncRequest, 'now' | 'initialWindowDays'>): ListedWindow {
  const { startDateTime, endDateTime } = calendarFirstRequest(request).query ?? {};
  return { after: new Date(startDateTime as string), before: new Date(endDateTime as string) };
}

/** The cursor: the delta link and the end of the window inside it (which the opaque link does not show). */
interface CalendarCursor {
  link: string;
  windowEnd: string;
}

function unusable(why: string): ClassifiedProviderError {
  return new ClassifiedProviderError({ kind: 'cursor_expired' }, `microsoft calendar: ${why}; full resync`);
}

export function readCalendarCursor(cursor: string, origin: string): CalendarCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    // A cursor written before windows were tracked: a full round writes the new form.
    throw unusable('cursor without its window');
  }
  const { link, windowEnd } = (parsed ?? {}) as Partial<Record<keyof CalendarCursor, unknown>>;
  if (typeof link !== 'string' || typeof windowEnd !== 'string' || Number.isNaN(Date.parse(windowEnd)))
    throw unusable('cursor without its window');
  return { link: onOrigin(link, origin), windowEnd };
}

export function createCalendarSyncer(
  access: GraphAccess,
  options: DeltaOptions,
): ResourceSyncer<'calendar_events'> {
  // Times in UTC (also Graph's default), so mapping never needs a Windows time-zone table; immutable ids as for mail.
  const prefer = `odata.maxpagesize=${options.pageSize}, IdType="ImmutableId", outlook.timezone="UTC"`;
  const get = async (api: GraphRequest) => (await api.header('Prefer', prefer).get()) as DeltaResponse;
  const pageOf = (body: DeltaResponse) => toPage<'calendar_events', Event>({ map: mapEvent }, body);

  /** A page, with the window end carried in the continuation and into the cursor. */
  function carry(page: SyncPage<'calendar_events'>, windowEnd: string): SyncPage<'calendar_events'> {
    if (page.next.kind === 'more')
      return { ...page, next: { kind: 'more', continuation: { ...page.next.continuation, windowEnd } } };
    const cursor: CalendarCursor = { link: page.next.cursor, windowEnd };
    return { ...page, next: { ...page.next, cursor: JSON.stringify(cursor) } };
  }

  function firstListing(client: Client, request: SyncRequest): GraphRequest {
    const first = calendarFirstRequest(request);
    return client.api(first.path).query(first.query ?? {});
  }

  /**
   * A new window inside an incremental round. Its first page is fetched before the old link is drained: the old
   * link then reports every change made before the new listing began (a deletion included), and what the new
   * listing holds wins over the old link's removals (an event moved from the old window into the new range is
   * `@removed` from the old one). Changes after the new listing began come with its own delta link.
   */
  async function renewalPage(client: Client, request: SyncRequest, old: CalendarCursor) {
    const relisted = pageOf(await get(firstListing(client, request)));
    const upserts = new Map<string, CalendarEventRecord>();
    const deletes = new Set<string>();
    let body = await get(client.api(old.link));
    for (;;) {
      const page = pageOf(body);
      for (const r of page.upserts) upserts.set(r.externalId, r);
      for (const id of page.deletes) {
        upserts.delete(id);
        deletes.add(id);
      }
      if (page.next.kind === 'caught_up') break;
      body = await get(client.api(onOrigin(page.next.continuation.nextLink as string, access.origin)));
    }
    for (const r of relisted.upserts) {
      deletes.delete(r.externalId);
      if (!upserts.has(r.externalId)) upserts.set(r.externalId, r);
    }
    return { upserts: [...upserts.values()], deletes: [...deletes], next: relisted.next };
  }

  return {
    resource: 'calendar',
    table: 'calendar_events',
    fetchPage: (request) =>
      guarded('microsoft', 'calendar delta', classifyMicrosoftError, async () => {
        const client = access.clientFor(request.accessToken, request.tally);
        const { continuation, mode, cursor } = request.position;
        const window = roundWindow(request, calendarWindow);
        const newEnd = calendarFirstRequest(request).query?.endDateTime as string;
        if (continuation) {
          const { nextLink, windowEnd } = continuation;
          if (typeof nextLink !== 'string' || typeof windowEnd !== 'string')
            throw unusable('continuation without a nextLink or window');
          const page = pageOf(await get(client.api(onOrigin(nextLink, access.origin))));
          return withWindow(carry(page, windowEnd), window);
        }
        if (mode === 'incremental' && cursor) {
          const old = readCalendarCursor(cursor, access.origin);
          const renew = Date.parse(old.windowEnd) - request.now.getTime() < RENEW_WITHIN_DAYS * DAY_MS;
          if (renew) return carry(await renewalPage(client, request, old), newEnd);
          return carry(pageOf(await get(client.api(old.link))), old.windowEnd);
        }
        return withWindow(carry(pageOf(await get(firstListing(client, request))), newEnd), window);
      }),
    // The full round's listing (calendarView delta takes no $select, so its pages are whole events).
    listIds: graphIdPass(
      {
        resource: 'calendar',
        listings: (_client, request) => Promise.resolve([calendarFirstRequest(request)]),
        window: calendarWindow,
      },
      access,
      options,
    ),
  };
}
