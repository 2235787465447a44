import { type GaxiosError } from 'gaxios';
import { type calendar_v3 } from 'googleapis';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, sandboxGoogleApis } from '../../../test';

let sandbox: RunningSandbox;
let calendar: calendar_v3.Calendar;
let accountId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'cal@example.com',
    sizes: { events: 120 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'cal@example.com');
  calendar = sandboxGoogleApis(sandbox, client).calendar;
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

/** Pages one listing to its end; returns the items and the final sync token. */
async function drain(params: calendar_v3.Params$Resource$Events$List) {
  const items: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const { data } = await calendar.events.list({
      calendarId: 'primary',
      maxResults: 50,
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    items.push(...(data.items ?? []));
    if (!data.nextPageToken) return { items, syncToken: data.nextSyncToken as string };
    expect(data.nextSyncToken).toBeUndefined();
    pageToken = data.nextPageToken;
  }
}

test('calendarList has the primary calendar and a sync token', async () => {
  const { data } = await calendar.calendarList.list();
  expect(data.items?.[0]).toMatchObject({ id: 'cal@example.com', primary: true, accessRole: 'owner' });
  expect(data.nextSyncToken).toBeTruthy();
});

test('full sync pages to the end, then a sync token returns adds, edits and cancelled deletions', async () => {
  const full = await drain({ singleEvents: true });
  expect(full.items).toHaveLength(120);
  const [edited, removed] = [full.items[3]?.id as string, full.items[4]?.id as string];
  const added = sandbox.control.addItem('google', accountId, 'events', { summary: 'Kickoff' });
  sandbox.control.updateItem('google', accountId, 'events', edited, { summary: 'Moved' });
  sandbox.control.deleteItem('google', accountId, 'events', removed);

  const delta = await drain({ singleEvents: true, syncToken: full.syncToken, maxResults: 2 });
  expect(delta.items.map((e) => [e.id, e.status, e.summary])).toEqual([
    [added.id, 'confirmed', 'Kickoff'],
    [edited, 'confirmed', 'Moved'],
    [removed, 'cancelled', undefined],
  ]);
  const quiet = await drain({ singleEvents: true, syncToken: delta.syncToken });
  expect(quiet.items).toEqual([]);
  const withDeleted = await drain({ showDeleted: true });
  expect(withDeleted.items.filter((e) => e.status === 'cancelled').map((e) => e.id)).toEqual([removed]);
  expect((await drain({})).items.map((e) => e.id)).not.toContain(removed);
});

test('timeMin/timeMax filter a full listing and are refused with a sync token', async () => {
  const all = await drain({});
  const pivot = all.items[10]?.start?.dateTime as string;
  const later = await drain({ timeMin: pivot });
  expect(later.items.length).toBeGreaterThan(0);
  expect(later.items.length).toBeLessThan(all.items.length);
  const refused = await failure(
    calendar.events.list({ calendarId: 'primary', syncToken: all.syncToken, timeMin: pivot }),
  );
  expect(refused.status).toBe(400);
});

test('an expired sync token gives 410 fullSyncRequired', async () => {
  const { syncToken } = await drain({});
  sandbox.control.expireCursors('google', accountId, 'events');
  const gone = await failure(calendar.events.list({ calendarId: 'primary', syncToken }));
  expect(gone.status).toBe(410);
  expect(gone.response?.data).toEqual({
    error: {
      code: 410,
      message: 'Sync token is no longer valid, a full sync is required.',
      errors: [
        {
          domain: 'calendar',
          reason: 'fullSyncRequired',
          message: 'Sync token is no longer valid, a full sync is required.',
          locationType: 'parameter',
          location: 'syncToken',
        },
      ],
      status: 'FAILED_PRECONDITION',
    },
  });
});

test('orderBy=startTime needs singleEvents: without it Google answers that the ordering is not available', async () => {
  const refused = await failure(calendar.events.list({ calendarId: 'primary', orderBy: 'startTime' }));
  expect(refused.status).toBe(400);
  expect(refused.response?.data).toMatchObject({
    error: {
      code: 400,
      message: 'The requested ordering is not available for the particular query.',
      errors: [{ domain: 'global', reason: 'invalid', location: 'orderBy', locationType: 'parameter' }],
    },
  });
});

test('a sync token only serves the singleEvents and showDeleted of its full sync; deletions come regardless', async () => {
  const full = await drain({ singleEvents: true, showDeleted: true });
  const removed = full.items.find((e) => e.status !== 'cancelled')?.id as string;
  sandbox.control.deleteItem('google', accountId, 'events', removed);
  for (const changed of [{ singleEvents: true }, { showDeleted: true }, {}]) {
    const refused = await failure(
      calendar.events.list({ calendarId: 'primary', syncToken: full.syncToken, ...changed }),
    );
    expect(refused.status).toBe(400);
    expect(refused.response?.data).toMatchObject({
      error: { errors: [{ reason: 'invalid', location: 'syncToken' }] },
    });
  }
  const delta = await drain({ singleEvents: true, showDeleted: true, syncToken: full.syncToken });
  expect(delta.items.map((e) => [e.id, e.status])).toEqual([[removed, 'cancelled']]);
  // Without showDeleted, an incremental round still reports the deletion.
  const plain = await drain({ singleEvents: true });
  sandbox.control.deleteItem('google', accountId, 'events', plain.items[0]?.id as string);
  const plainDelta = await drain({ singleEvents: true, syncToken: plain.syncToken });
  expect(plainDelta.items.map((e) => e.status)).toEqual(['cancelled']);
});
