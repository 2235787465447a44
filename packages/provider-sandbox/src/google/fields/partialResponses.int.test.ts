import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, failure, sandboxGoogleApis } from '../../../test';

let sandbox: RunningSandbox;
let apis: ReturnType<typeof sandboxGoogleApis>;

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.control.createAccount({
    provider: 'google',
    email: 'fields@example.com',
    sizes: { messages: 3, events: 3, contacts: 3 },
  });
  const { client } = await connectGoogle(sandbox, 'fields@example.com');
  apis = sandboxGoogleApis(sandbox, client);
});
afterAll(() => sandbox.close());

test('Gmail, Calendar and People answer with only the selected fields', async () => {
  const profile = await apis.gmail.users.getProfile({ userId: 'me', fields: 'historyId' });
  expect(Object.keys(profile.data)).toEqual(['historyId']);
  const list = await apis.gmail.users.messages.list({
    userId: 'me',
    maxResults: 2,
    fields: 'messages/id,nextPageToken',
  });
  expect(list.data.nextPageToken).toEqual(expect.any(String));
  expect(list.data.messages?.every((m) => Object.keys(m).join() === 'id')).toBe(true);
  const id = list.data.messages?.[0]?.id as string;
  const message = await apis.gmail.users.messages.get({
    userId: 'me',
    id,
    format: 'metadata',
    fields: 'id,internalDate,payload/headers',
  });
  expect(Object.keys(message.data).sort()).toEqual(['id', 'internalDate', 'payload']);
  expect(Object.keys(message.data.payload ?? {})).toEqual(['headers']);

  const events = await apis.calendar.events.list({
    calendarId: 'primary',
    fields: 'items(id,start),nextSyncToken',
  });
  expect(Object.keys(events.data).sort()).toEqual(['items', 'nextSyncToken']);
  expect(events.data.items?.every((e) => Object.keys(e).sort().join() === 'id,start')).toBe(true);

  const people = await apis.people.people.connections.list({
    resourceName: 'people/me',
    personFields: 'names,metadata',
    requestSyncToken: true,
    fields: 'connections(resourceName,names/givenName),nextSyncToken',
  });
  expect(Object.keys(people.data).sort()).toEqual(['connections', 'nextSyncToken']);
  expect(people.data.connections?.[0]).toEqual({
    resourceName: expect.any(String),
    names: [{ givenName: expect.any(String) }],
  });
});

test('a selection that forgets the page token loses it: the response holds only what was asked for', async () => {
  const first = await apis.gmail.users.messages.list({ userId: 'me', maxResults: 1, fields: 'messages/id' });
  expect(first.data.messages).toHaveLength(1);
  expect(first.data.nextPageToken).toBeUndefined();
});

test('an unknown or malformed field is a 400 "Invalid field selection", and nothing is served', async () => {
  sandbox.control.resetCounters();
  const wrongCase = await failure(
    apis.calendar.events.list({ calendarId: 'primary', fields: 'pagetoken,items(id)' }),
  );
  expect(wrongCase.status).toBe(400);
  expect(wrongCase.response?.data).toMatchObject({
    error: {
      code: 400,
      message: 'Invalid field selection pagetoken',
      errors: [{ reason: 'invalidParameter', location: 'fields', locationType: 'parameter' }],
    },
  });
  const nested = await failure(
    apis.gmail.users.messages.list({ userId: 'me', fields: 'messages(id,subject)' }),
  );
  expect(nested.response?.data).toMatchObject({ error: { message: 'Invalid field selection subject' } });
  const malformed = await failure(apis.gmail.users.getProfile({ userId: 'me', fields: 'historyId(' }));
  expect([malformed.status, malformed.message]).toEqual([400, 'Invalid field selection historyId(']);
  expect(sandbox.control.counters().map((c) => c.status)).toEqual([400, 400, 400]);
});
