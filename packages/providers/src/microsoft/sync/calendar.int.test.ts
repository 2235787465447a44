import type { Event } from '@microsoft/microsoft-graph-types';
import { daysFrom } from './window';
import {
  applyRounds,
  calendarCursorLinks,
  connectAccount,
  FULL,
  incremental,
  runRound,
  sandboxItems,
  storedId,
} from '../../../test/microsoft/harness';
import { deltaScenarios } from '../../../test/microsoft/deltaScenarios';

const DAY = 86_400_000;
const utc = (t: Event['start']) => new Date(`${t!.dateTime!}Z`);

// Sandbox events lie from 30 days before the account was created to 60 days after, so 60 days back covers them all.
const scenarios = deltaScenarios<'calendar_events', Event>({
  resource: 'calendar',
  sandboxResource: 'events',
  route: 'graph.events.delta',
  size: 1200,
  initialWindowDays: 60,
  cursorLinks: calendarCursorLinks,
  continuationKeys: ['windowEnd'],
  expected: (e) => ({
    title: e.subject!,
    startsAt: utc(e.start),
    endsAt: utc(e.end),
    allDay: e.isAllDay === true,
    // Occurrences cancelled by their organizer stay in the view, marked cancelled.
    eventStatus: e.isCancelled ? 'cancelled' : 'confirmed',
    location: e.location!.displayName!,
    organizer: e.organizer!.emailAddress!.address!,
    attendees: (e.attendees ?? []).map((a) => ({
      email: a.emailAddress!.address!,
      name: a.emailAddress!.name!,
      type: a.type!,
      response: a.status!.response!,
    })),
  }),
  edit: { fields: { subject: 'Moved to Friday' }, expected: { title: 'Moved to Friday' } },
});

test('the window reaches initialWindowDays back; an event moved out of it is deleted next round', async () => {
  const h = scenarios.harness();
  const { account, accessToken } = scenarios.main();
  const now = new Date();
  const options = { accessToken, now, initialWindowDays: 7 };
  const full = await runRound(scenarios.syncer(), FULL, options);
  const from = now.getTime() - 7 * DAY;
  const inWindow = [...sandboxItems<Event>(h, account, 'events')]
    .filter(([, e]) => utc(e.end).getTime() > from)
    .map(([id]) => id);
  expect(inWindow.length).toBeGreaterThan(100);
  expect(inWindow.length).toBeLessThan(1000);
  expect([...applyRounds([full]).keys()].sort()).toEqual(inWindow.sort());

  const moved = inWindow[0]!;
  const farAway = { dateTime: '2099-01-01T10:00:00.0000000', timeZone: 'UTC' };
  h.sandbox.control.updateItem('microsoft', account.id, 'events', storedId(moved), {
    start: farAway,
    end: farAway,
  });
  const next = await runRound(scenarios.syncer(), incremental(full.cursor), options);
  expect(next.deletes).toEqual([moved]);
  expect(next.upserts).toEqual([]);
});

test('an incremental round near its window end starts a new window: later events arrive, none is lost', async () => {
  const h = scenarios.harness();
  const { account, accessToken } = await connectAccount(h, 'renewal.owner@contoso.com', { events: 200 });
  const now = new Date();
  // A full round 340 days ago: its window ends 25 days from now, inside RENEW_WITHIN_DAYS.
  const then = new Date(now.getTime() - 340 * DAY);
  const full = await runRound(scenarios.syncer(), FULL, { accessToken, now: then, initialWindowDays: 60 });
  const end = now.getTime() + 25 * DAY;
  const events = [...sandboxItems<Event>(h, account, 'events')];
  const later = events.filter(([, e]) => utc(e.start).getTime() >= end).map(([id]) => id);
  expect(later.length).toBeGreaterThan(10);
  expect(applyRounds([full]).has(later[0]!)).toBe(false);

  // Before the renewal: one event deleted, one moved from the old window into the new range.
  const [deleted, moved] = events.filter(([, e]) => utc(e.start).getTime() < end).map(([id]) => id);
  h.sandbox.control.deleteItem('microsoft', account.id, 'events', storedId(deleted!));
  const farther = { dateTime: new Date(end + 10 * DAY).toISOString().slice(0, 19), timeZone: 'UTC' };
  h.sandbox.control.updateItem('microsoft', account.id, 'events', storedId(moved!), {
    start: farther,
    end: farther,
  });

  const options = { accessToken, now, initialWindowDays: 60 };
  const renewal = await runRound(scenarios.syncer(), incremental(full.cursor), options);
  const table = applyRounds([full, renewal]);
  const live = [...sandboxItems<Event>(h, account, 'events').keys()].sort();
  expect([...table.keys()].sort()).toEqual(live);
  expect(table.has(deleted!)).toBe(false);
  expect(table.get(moved!)?.startsAt).toEqual(utc(farther));
  expect(JSON.parse(renewal.cursor)).toMatchObject({ windowEnd: daysFrom(now, 365) });

  // The new window's link goes on as usual.
  const quiet = await runRound(scenarios.syncer(), incremental(renewal.cursor), options);
  expect([quiet.upserts, quiet.deletes]).toEqual([[], []]);
});
