import { type calendar_v3 } from 'googleapis';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, sandboxGoogleApis } from '../../../test';

let sandbox: RunningSandbox;
let calendar: calendar_v3.Calendar;
let accountId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: { now: () => Date.UTC(2026, 2, 1) } });
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'rec@example.com',
    sizes: { events: 400 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'rec@example.com');
  calendar = sandboxGoogleApis(sandbox, client).calendar;
});
afterAll(() => sandbox.close());

async function list(params: calendar_v3.Params$Resource$Events$List) {
  const { data } = await calendar.events.list({ calendarId: 'primary', maxResults: 2500, ...params });
  return { items: data.items ?? [], syncToken: data.nextSyncToken as string };
}

const bySeries = (items: calendar_v3.Schema$Event[]) => {
  const series = new Map<string, calendar_v3.Schema$Event[]>();
  for (const e of items.filter((i) => i.recurringEventId))
    series.set(e.recurringEventId as string, [...(series.get(e.recurringEventId as string) ?? []), e]);
  return series;
};
const wallTime = (e: calendar_v3.Schema$EventDateTime | undefined) => e?.dateTime?.slice(11, 19);
const stamp = (dateTime: string) => new Date(dateTime).toISOString().replace(/[-:]|\.\d{3}/g, '');

test('singleEvents: each occurrence is an event of its series, weekly at the same local time in its zone', async () => {
  const { items } = await list({ singleEvents: true });
  const series = bySeries(items);
  expect(series.size).toBeGreaterThan(3);
  for (const [masterId, occurrences] of series) {
    for (const e of occurrences) {
      expect(e.id).toBe(`${masterId}_${stamp(e.originalStartTime?.dateTime as string)}`);
      expect(e.originalStartTime?.timeZone).toBe(e.start?.timeZone);
    }
    const regular = occurrences.filter((e) => e.start?.dateTime === e.originalStartTime?.dateTime);
    expect(new Set(regular.map((e) => wallTime(e.start))).size).toBe(1);
  }
  const zones = new Set(items.map((e) => e.start?.timeZone).filter(Boolean));
  expect(zones.size).toBeGreaterThan(2);
  const moved = items.filter(
    (e) => e.recurringEventId && e.start?.dateTime !== e.originalStartTime?.dateTime,
  );
  expect(moved.length).toBeGreaterThan(0);
});

test('all-day events have dates, the end day exclusive', async () => {
  const allDay = (await list({ singleEvents: true })).items.filter((e) => e.start?.date);
  expect(allDay.length).toBeGreaterThan(10);
  for (const e of allDay) {
    expect([e.start?.dateTime, e.end?.dateTime, e.transparency]).toEqual([
      undefined,
      undefined,
      'transparent',
    ]);
    expect(Date.parse(e.end?.date as string)).toBeGreaterThan(Date.parse(e.start?.date as string));
  }
});

test('cancelled occurrences: hidden from singleEvents, listed with showDeleted and without singleEvents', async () => {
  const cancelledOf = (items: calendar_v3.Schema$Event[]) =>
    items.filter((e) => e.status === 'cancelled').map((e) => e.id);
  const withDeleted = cancelledOf((await list({ singleEvents: true, showDeleted: true })).items);
  expect(withDeleted.length).toBeGreaterThan(0);
  expect(cancelledOf((await list({ singleEvents: true })).items)).toEqual([]);
  const masters = (await list({})).items;
  expect(cancelledOf(masters)).toEqual(withDeleted);
  const cancelled = masters.find((e) => e.status === 'cancelled') as calendar_v3.Schema$Event;
  expect(Object.keys(cancelled).sort()).toEqual(
    ['etag', 'id', 'kind', 'originalStartTime', 'recurringEventId', 'status'].sort(),
  );
});

test('without singleEvents a series is its master with the rule, plus the occurrences that differ', async () => {
  const single = await list({ singleEvents: true, showDeleted: true });
  const { items } = await list({});
  for (const [masterId, occurrences] of bySeries(single.items)) {
    const master = items.find((e) => e.id === masterId) as calendar_v3.Schema$Event;
    expect(master.recurrence).toEqual([expect.stringMatching(/^RRULE:FREQ=WEEKLY;COUNT=\d$/)]);
    expect(master.recurringEventId).toBeUndefined();
    const listed = items.filter((e) => e.recurringEventId === masterId).map((e) => e.id);
    const differing = occurrences
      .filter((e) => e.status === 'cancelled' || e.start?.dateTime !== e.originalStartTime?.dateTime)
      .map((e) => e.id);
    expect(listed.sort()).toEqual(differing.sort());
  }
});

test('a sync token reports an edited, a cancelled and a deleted occurrence by their instance ids (the control API takes them)', async () => {
  const { items, syncToken } = await list({ singleEvents: true });
  const [first, second, third] = [...bySeries(items).values()][0] as calendar_v3.Schema$Event[];
  sandbox.control.updateItem('google', accountId, 'events', first?.id as string, { summary: 'Moved one' });
  sandbox.control.updateItem('google', accountId, 'events', second?.id as string, { cancelled: true });
  sandbox.control.deleteItem('google', accountId, 'events', third?.id as string);
  const delta = await list({ singleEvents: true, syncToken });
  expect(delta.items.map((e) => [e.id, e.status, e.recurringEventId, e.summary])).toEqual([
    [first?.id, 'confirmed', first?.recurringEventId, 'Moved one'],
    [second?.id, 'cancelled', first?.recurringEventId, undefined],
    [third?.id, 'cancelled', first?.recurringEventId, undefined],
  ]);
});

test('pages never hold more than maxResults events, a master with its first exception included', async () => {
  // An edit of a series' first occurrence (stored under the master's id) lists it as the master plus an exception.
  const master = (await list({})).items.find((e) => e.recurrence && e.status === 'confirmed');
  sandbox.control.updateItem('google', accountId, 'events', master?.id as string, {
    summary: 'First one moved',
  });
  const whole = (await list({})).items.map((e) => e.id);
  expect(whole.filter((id) => id === master?.id || id?.startsWith(`${master?.id}_`)).length).toBeGreaterThan(
    1,
  );
  const paged: string[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await calendar.events.list({
      calendarId: 'primary',
      maxResults: 3,
      ...(pageToken ? { pageToken } : {}),
    });
    expect((data.items ?? []).length).toBeLessThanOrEqual(3);
    paged.push(...(data.items ?? []).map((e) => e.id as string));
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  expect(paged).toEqual(whole);
});
