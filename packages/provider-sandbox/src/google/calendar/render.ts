import { type Account, type StoredItem } from '../../core/types';
import { type CalendarEventData } from '../data';

const iso = (ms: number) => new Date(ms).toISOString();

/** A Calendar Event resource (calendar_v3.Schema$Event). */
export function renderEvent(account: Account, item: StoredItem<CalendarEventData>) {
  const { data } = item;
  return {
    kind: 'calendar#event',
    etag: `"${item.seq}"`,
    id: item.id,
    status: 'confirmed',
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(item.id).toString('base64url')}`,
    created: iso(data.created),
    updated: iso(data.updated),
    summary: data.summary,
    description: data.description,
    creator: { email: account.email, self: true },
    organizer: { email: account.email, self: true },
    start: { dateTime: iso(data.start), timeZone: 'UTC' },
    end: { dateTime: iso(data.end), timeZone: 'UTC' },
    iCalUID: `${item.id}@google.com`,
    sequence: 0,
    attendees: data.attendees.map((email) => ({
      email,
      responseStatus: email === account.email ? 'accepted' : 'needsAction',
      ...(email === account.email ? { self: true, organizer: true } : {}),
    })),
    reminders: { useDefault: true },
    eventType: 'default',
  };
}

/**
 * Deletions in incremental results carry little more than id and status
 * (docs/providers/google.md#calendar-sync).
 */
export const renderCancelled = (id: string, seq: number) => ({
  kind: 'calendar#event',
  etag: `"${seq}"`,
  id,
  status: 'cancelled',
});

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
