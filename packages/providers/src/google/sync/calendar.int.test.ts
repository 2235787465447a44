import { calendarWireId } from '@crm-sync/provider-sandbox';
import { FULL, incremental, runRound } from '../../../test/google/harness';
import { type ScenarioContext, syncScenarios } from '../../../test/google/scenarios';

/** The fields of the sandbox's stored Calendar event this test reads (provider-sandbox src/google/calendar/generate.ts). */
interface SandboxEvent {
  summary: string;
  description: string;
  start: number;
  end: number;
  attendees: string[];
  allDay: boolean;
  cancelled: boolean;
}

const DAY_MS = 86_400_000;

const scenario: ScenarioContext<'calendar_events'> = syncScenarios<'calendar_events', SandboxEvent>({
  resource: 'calendar',
  sandboxResource: 'events',
  route: 'calendar.events.list',
  size: 1200,
  sync: { calendarPageSize: 250 },
  // The sandbox spreads events a month either side of account creation: a 10-day window cuts the past part.
  initialWindowDays: 10,
  // Occurrences of a series are listed (singleEvents) under their instance ids; cancelled ones are not events.
  externalId: (id) => calendarWireId(scenario.main().account, id),
  inWindow: (e, now, days) => e.end > now.getTime() - days * DAY_MS && !e.cancelled,
  listedAsDeleted: (e, now, days) => e.end > now.getTime() - days * DAY_MS && e.cancelled,
  expected: ({ id, data }) => ({
    externalId: calendarWireId(scenario.main().account, id),
    calendarId: 'primary',
    title: data.summary,
    description: data.description,
    startsAt: new Date(data.start),
    endsAt: new Date(data.end),
    allDay: data.allDay,
    eventStatus: 'confirmed',
    attendees: data.attendees.map((email) => expect.objectContaining({ email })),
  }),
  edit: { fields: { summary: 'Moved review' }, expected: { title: 'Moved review' } },
});

test('the window is real: events that ended before it are not listed', async () => {
  const round = await runRound(scenario.syncer(), FULL, scenario.options());
  const from = scenario.options().now.getTime() - 10 * DAY_MS;
  expect(round.upserts.length).toBeGreaterThan(500);
  expect(round.upserts.every((e) => e.endsAt!.getTime() > from - 60_000)).toBe(true);
});

test('an incremental round pages too, with the same sync token until its last page', async () => {
  const { account } = scenario.main();
  const control = scenario.harness().sandbox.control;
  const start = await runRound(scenario.syncer(), FULL, scenario.options());
  const added = Array.from({ length: 260 }, () => control.addItem('google', account.id, 'events').id);
  const round = await runRound(scenario.syncer(), incremental(start.cursor), scenario.options());
  expect(round.pages).toHaveLength(2);
  expect(round.continuations).toEqual([
    { syncToken: start.cursor, pageToken: expect.any(String), params: {} },
  ]);
  expect(round.upserts.map((e) => e.externalId).sort()).toEqual(added.sort());
});
