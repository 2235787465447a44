import { type ListedWindow, type ResourceSyncer, type SyncRequest } from '@crm-sync/core';
import type { Event } from '@microsoft/microsoft-graph-types';
import { type GraphAccess } from '../client';
import { mapEvent } from '../map';
import { type DeltaOptions, deltaSyncer, type FirstRequest } from './delta';
import { daysFrom } from './window';

/** How far ahead the calendar window reaches: a CRM cares about meetings already booked for the coming year. */
export const CALENDAR_DAYS_AHEAD = 365;

/**
 * The default calendar's events (`calendar` → `calendar_events`) through calendarView delta, which expands
 * recurrences into occurrences within a window. The window is fixed when the round starts and kept by Graph in its
 * links, so it moves only when a full round runs again. calendarView delta takes no `$select`.
 */
export function calendarFirstRequest({ now, initialWindowDays }: SyncRequest): FirstRequest {
  return {
    path: '/me/calendarView/delta',
    query: {
      startDateTime: daysFrom(now, -initialWindowDays),
      endDateTime: daysFrom(now, CALENDAR_DAYS_AHEAD),
    },
  };
}

/** An event starting inside calendarView's window overlaps it, so the round listed it. */
export function calendarWindow(request: SyncRequest): ListedWindow {
  const { startDateTime, endDateTime } = calendarFirstRequest(request).query ?? {};
  return { after: new Date(startDateTime as string), before: new Date(endDateTime as string) };
}

export function createCalendarSyncer(
  access: GraphAccess,
  options: DeltaOptions,
): ResourceSyncer<'calendar_events'> {
  return deltaSyncer<'calendar_events', Event>(
    {
      resource: 'calendar',
      table: 'calendar_events',
      firstRequest: calendarFirstRequest,
      window: calendarWindow,
      // Times in UTC (also Graph's default), so mapping never needs a Windows time-zone table.
      preferences: ['outlook.timezone="UTC"'],
      map: mapEvent,
    },
    access,
    options,
  );
}
