import { type Client, type PageCollection, PageIterator } from '@microsoft/microsoft-graph-client';
import type { Event } from '@microsoft/microsoft-graph-types';
import { type Account } from '../../core/types';
import { connectedGraph, type MicrosoftSandbox, startMicrosoftSandbox } from '../../../test/microsoft';
import { storedIdOf } from './render';

let ms: MicrosoftSandbox;
let account: Account;
let client: Client;
const PREFER = 'odata.maxpagesize=100, IdType="ImmutableId", outlook.timezone="UTC"';
const WINDOW = { startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2026-06-01T00:00:00Z' };

beforeAll(async () => {
  ms = await startMicrosoftSandbox({ clock: { now: () => Date.UTC(2026, 2, 1) } });
  ({ account, client } = await connectedGraph(ms, 'ev@contoso.com', { events: 400 }));
});
afterAll(() => ms.close());

async function round(first: string | { path: string }): Promise<{ events: Event[]; deltaLink: string }> {
  const start = typeof first === 'string' ? client.api(first) : client.api(first.path).query(WINDOW);
  const events: Event[] = [];
  const iterator = new PageIterator(
    client,
    (await start.header('Prefer', PREFER).get()) as PageCollection,
    (e: Event) => events.push(e) > 0,
    {
      headers: { Prefer: PREFER },
    },
  );
  await iterator.iterate();
  return { events, deltaLink: iterator.getDeltaLink() as string };
}

const localHour = (zone: string, dateTime: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(Date.parse(`${dateTime.slice(0, 23)}Z`));
const IANA: Record<string, string> = {
  UTC: 'UTC',
  'Eastern Standard Time': 'America/New_York',
  'W. Europe Standard Time': 'Europe/Berlin',
  'India Standard Time': 'Asia/Kolkata',
};

test('calendarView lists occurrences of weekly series at the same local time, exceptions, all-day and cancelled ones', async () => {
  const { events } = await round({ path: '/me/calendarView/delta' });
  const series = new Map<string, Event[]>();
  for (const e of events.filter((i) => i.seriesMasterId))
    series.set(e.seriesMasterId as string, [...(series.get(e.seriesMasterId as string) ?? []), e]);
  expect(series.size).toBeGreaterThan(3);
  expect(events.every((e) => e.start?.timeZone === 'UTC' && e.type !== 'seriesMaster')).toBe(true);
  for (const [masterId, occurrences] of series) {
    expect(masterId.startsWith('AAkALg')).toBe(true);
    const regular = occurrences.filter((e) => e.type === 'occurrence');
    const zone = IANA[regular[0]?.originalStartTimeZone as string] as string;
    expect(new Set(regular.map((e) => localHour(zone, e.start?.dateTime as string))).size).toBe(1);
  }
  expect(events.filter((e) => e.type === 'exception').length).toBeGreaterThan(0);
  expect(events.filter((e) => e.isCancelled).every((e) => e.type === 'occurrence')).toBe(true);
  const allDay = events.filter((e) => e.isAllDay);
  expect(allDay.length).toBeGreaterThan(5);
  for (const e of allDay) {
    expect([e.start?.dateTime?.slice(11), e.end?.dateTime?.slice(11), e.showAs]).toEqual([
      '00:00:00.0000000',
      '00:00:00.0000000',
      'free',
    ]);
  }
  expect(events.filter((e) => e.type === 'singleInstance').every((e) => e.seriesMasterId === null)).toBe(
    true,
  );
});

test('a deleted occurrence leaves the view as @removed; a moved one comes back as an exception', async () => {
  const first = await round({ path: '/me/calendarView/delta' });
  const [moved, removed] = first.events.filter((e) => e.type === 'occurrence' && !e.isCancelled) as [
    Event,
    Event,
  ];
  const edit = { start: { dateTime: moved.start?.dateTime, timeZone: 'UTC' }, subject: 'Moved' };
  ms.sandbox.control.updateItem('microsoft', account.id, 'events', storedIdOf(moved.id as string), edit);
  ms.sandbox.control.deleteItem('microsoft', account.id, 'events', storedIdOf(removed.id as string));
  const next = await round(first.deltaLink);
  expect(next.events.map((e) => [e.id, e.subject, (e as { '@removed'?: unknown })['@removed']])).toEqual([
    [moved.id, 'Moved', undefined],
    [removed.id, undefined, { reason: 'deleted' }],
  ]);
  expect([next.events[0]?.type, next.events[0]?.seriesMasterId]).toEqual(['exception', moved.seriesMasterId]);
});
