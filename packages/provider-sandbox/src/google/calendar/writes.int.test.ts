import { type GaxiosError } from 'gaxios';
import { type calendar_v3 } from 'googleapis';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, GOOGLE_SCOPES, sandboxGoogleApis } from '../../../test';

let sandbox: RunningSandbox;
let calendar: calendar_v3.Calendar;
let readOnly: calendar_v3.Calendar;
let accountId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'calw@example.com',
    sizes: { events: 5 },
  }).id;
  const events = 'https://www.googleapis.com/auth/calendar.events';
  calendar = sandboxGoogleApis(
    sandbox,
    (await connectGoogle(sandbox, 'calw@example.com', [events])).client,
  ).calendar;
  readOnly = sandboxGoogleApis(
    sandbox,
    (await connectGoogle(sandbox, 'calw@example.com', GOOGLE_SCOPES)).client,
  ).calendar;
});
afterAll(() => sandbox.close());

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as GaxiosError;
  }
  throw new Error('expected the call to fail');
};
const body = (error: GaxiosError) =>
  (error.response?.data as { error: { errors: Array<{ reason: string; message: string }> } }).error.errors[0];

const meeting: calendar_v3.Schema$Event = {
  summary: 'Kickoff',
  start: { dateTime: '2026-12-10T09:00:00+01:00' },
  end: { dateTime: '2026-12-10T10:00:00+01:00' },
  attendees: [{ email: 'guest@example.com', optional: true }],
  extendedProperties: { private: { 'crm-sync-write': 'w-1' } },
};
const insert = (requestBody: calendar_v3.Schema$Event) =>
  calendar.events.insert({ calendarId: 'primary', sendUpdates: 'none', requestBody });

test('insert, patch with If-Match and delete change the etag, and the events sync sees each change', async () => {
  const full = await calendar.events.list({ calendarId: 'primary', singleEvents: true, showDeleted: true });
  const { data: created } = await insert(meeting);
  expect(created).toMatchObject({
    summary: 'Kickoff',
    start: { dateTime: '2026-12-10T08:00:00Z' },
    attendees: [{ email: 'guest@example.com', optional: true }],
    extendedProperties: { private: { 'crm-sync-write': 'w-1' } },
  });
  const { data: patched } = await calendar.events.patch(
    { calendarId: 'primary', eventId: created.id as string, requestBody: { location: 'Room 4' } },
    { headers: { 'If-Match': created.etag as string } },
  );
  expect(patched).toMatchObject({ location: 'Room 4', summary: 'Kickoff' });
  expect(patched.etag).not.toBe(created.etag);
  const changes = await calendar.events.list({
    calendarId: 'primary',
    singleEvents: true,
    showDeleted: true,
    syncToken: full.data.nextSyncToken as string,
  });
  expect(changes.data.items).toEqual([expect.objectContaining({ id: created.id, etag: patched.etag })]);

  const stale = await failure(
    calendar.events.delete(
      { calendarId: 'primary', eventId: created.id as string },
      { headers: { 'If-Match': created.etag as string } },
    ),
  );
  expect(stale.response?.status).toBe(412);
  expect(body(stale)).toMatchObject({ reason: 'conditionNotMet' });
  await calendar.events.delete(
    { calendarId: 'primary', eventId: created.id as string },
    { headers: { 'If-Match': patched.etag as string } },
  );
  const again = await failure(
    calendar.events.delete({ calendarId: 'primary', eventId: created.id as string }),
  );
  expect(again.response?.status).toBe(410);
  const read = await calendar.events.get({ calendarId: 'primary', eventId: created.id as string });
  expect(read.data.status).toBe('cancelled');
  const after = await calendar.events.list({
    calendarId: 'primary',
    singleEvents: true,
    showDeleted: true,
    syncToken: changes.data.nextSyncToken as string,
  });
  expect(after.data.items).toEqual([expect.objectContaining({ id: created.id, status: 'cancelled' })]);
});

test('finds an event by its private extended property', async () => {
  const { data: created } = await insert({
    ...meeting,
    extendedProperties: { private: { 'crm-sync-write': 'w-find' } },
  });
  const found = await calendar.events.list({
    calendarId: 'primary',
    privateExtendedProperty: ['crm-sync-write=w-find'],
  });
  expect(found.data.items?.map((e) => e.id)).toEqual([created.id]);
});

test.each([
  ['no end', { ...meeting, end: undefined }, 'required', 'Missing end time.'],
  ['no start', { ...meeting, start: undefined }, 'required', 'Missing start time.'],
  [
    'an end before the start',
    { ...meeting, end: { dateTime: '2026-12-10T07:00:00+01:00' } },
    'timeRangeEmpty',
    'The specified time range is empty.',
  ],
  [
    'a bad attendee',
    { ...meeting, attendees: [{ email: 'not an address' }] },
    'invalid',
    'Invalid attendee email.',
  ],
])('refuses an insert with %s as Calendar does, creating nothing', async (_case, event, reason, message) => {
  const tag = `crm-sync-write=refused ${_case}`;
  const error = await failure(
    insert({ ...event, extendedProperties: { private: { 'crm-sync-write': `refused ${_case}` } } }),
  );
  expect(error.response?.status).toBe(400);
  expect(body(error)).toMatchObject({ reason, message });
  const listed = await calendar.events.list({ calendarId: 'primary', privateExtendedProperty: [tag] });
  expect(listed.data.items).toEqual([]);
});

test('refuses a write without a write scope, and answers injected faults', async () => {
  const denied = await failure(readOnly.events.insert({ calendarId: 'primary', requestBody: meeting }));
  expect(denied.response?.status).toBe(403);
  sandbox.control.addFault({
    provider: 'google',
    route: 'calendar.events.insert',
    accountId,
    action: { kind: 'status', status: 503 },
    next: 1,
  });
  expect((await failure(insert(meeting))).response?.status).toBe(503);
});
