// Shape conformance of the Google routes crm-sync consumes: each response, requested over HTTP through the official
// clients, against a recorded or documented real one (test/fixtures/google/SOURCES.md).
import { type calendar_v3, type gmail_v1, type people_v1 } from 'googleapis';
import { request } from 'undici';
import { allow, type Allowance } from '../../test/conformance/shape';
import { expectConformant, fixture } from '../../test/conformance/fixtures';
import { DEFAULT_CLIENT, type RunningSandbox } from '../core/types';
import { startSandbox } from '../start';
import {
  connectGoogle,
  GOOGLE_SCOPES,
  sandboxGoogleApis,
  sandboxOAuth2Client,
  TEST_REDIRECT_URI,
} from '../../test';

let sandbox: RunningSandbox;
let accountId: string;
let gmail: gmail_v1.Gmail;
let calendar: calendar_v3.Calendar;
let people: people_v1.People;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: { now: () => Date.UTC(2026, 10, 1) } });
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'shapes@example.com',
    sizes: { messages: 40, events: 60, contacts: 20 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'shapes@example.com');
  ({ gmail, calendar, people } = sandboxGoogleApis(sandbox, client));
});
afterAll(() => sandbox.close());

test('token endpoint: authorization-code exchange', async () => {
  const client = sandboxOAuth2Client(sandbox);
  const authorize = await request(
    client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: GOOGLE_SCOPES,
      login_hint: 'shapes@example.com',
    }),
  );
  await authorize.body.dump();
  const code = new URL(String(authorize.headers.location)).searchParams.get('code') as string;
  const token = await request(`${sandbox.urls.google}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: TEST_REDIRECT_URI,
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
    }).toString(),
  });
  expectConformant(await token.body.json(), fixture('google', 'token'), TOKEN_ALLOWED);
});

const TOKEN_ALLOWED: Allowance[] = [];

test('gmail messages.list', async () => {
  const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 5 });
  expectConformant(data, fixture('google', 'gmail.messages.list'));
});

async function someMessageIds(count: number): Promise<string[]> {
  const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: count });
  return (data.messages ?? []).map((m) => m.id as string);
}

test('gmail messages.get, format=metadata with metadataHeaders', async () => {
  const [id] = await someMessageIds(1);
  const { data } = await gmail.users.messages.get({
    userId: 'me',
    id: id as string,
    format: 'metadata',
    metadataHeaders: ['From', 'Subject'],
  });
  expectConformant(data, fixture('google', 'gmail.messages.get.metadata'));
});

/**
 * A MessagePart is the same type at every depth, while MIME trees differ in depth: parts are compared as one list
 * (each with its `parts` key, emptied), so a leaf at depth 2 is matched with leaves at any depth.
 */
function flattenParts(message: gmail_v1.Schema$Message) {
  const flat = (part: gmail_v1.Schema$MessagePart): gmail_v1.Schema$MessagePart[] => [
    { ...part, ...(part.parts ? { parts: [] } : {}) },
    ...(part.parts ?? []).flatMap(flat),
  ];
  return { ...message, payload: message.payload ? flat(message.payload) : [] };
}

test('gmail messages.get, format=full: the MIME tree of several messages', async () => {
  const messages = await Promise.all(
    (await someMessageIds(20)).map(async (id) => (await gmail.users.messages.get({ userId: 'me', id })).data),
  );
  const real = [
    fixture('google', 'gmail.messages.get.full'),
    fixture('google', 'gmail.messages.get.full.plain'),
  ];
  expectConformant(messages.map(flattenParts), (real as gmail_v1.Schema$Message[]).map(flattenParts));
});

test('gmail messages.get, format=raw', async () => {
  const [id] = await someMessageIds(1);
  const { data } = await gmail.users.messages.get({ userId: 'me', id: id as string, format: 'raw' });
  expectConformant(data, fixture('google', 'gmail.messages.get.raw'));
});

test('gmail history.list: added, labels added and removed, deleted', async () => {
  const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId as string;
  const [starred, read, removed] = (await someMessageIds(3)) as [string, string, string];
  sandbox.control.addItem('google', accountId, 'messages', { subject: 'New' });
  sandbox.control.updateItem('google', accountId, 'messages', starred, { labelIds: ['INBOX', 'STARRED'] });
  sandbox.control.updateItem('google', accountId, 'messages', read, { labelIds: [] });
  sandbox.control.deleteItem('google', accountId, 'messages', removed);
  const { data } = await gmail.users.history.list({ userId: 'me', startHistoryId: start, maxResults: 3 });
  const rest = await gmail.users.history.list({
    userId: 'me',
    startHistoryId: start,
    pageToken: data.nextPageToken as string,
  });
  expectConformant(
    { ...data, history: [...(data.history ?? []), ...(rest.data.history ?? [])] },
    fixture('google', 'gmail.history.list'),
  );
});

test('calendar events.list, singleEvents with showDeleted: instances, all-day and cancelled events', async () => {
  const { data } = await calendar.events.list({
    calendarId: 'primary',
    singleEvents: true,
    showDeleted: true,
    maxResults: 2500,
  });
  expectConformant(data, fixture('google', 'calendar.events.list'), EVENTS_ALLOWED);
});

const EVENTS_ALLOWED: Allowance[] = allow(
  'missing',
  'gap (issue 16): the sandbox does not serve this shape yet',
  'items[].location',
  'items[].start.date',
  'items[].end.date',
  'items[].attendees[].displayName',
  'items[].recurringEventId',
  'items[].originalStartTime',
  'items[].transparency',
);

test('calendar events.list without singleEvents: series masters and exceptions', async () => {
  const { data } = await calendar.events.list({ calendarId: 'primary', maxResults: 2500 });
  expectConformant(data, fixture('google', 'calendar.events.list.series'), SERIES_ALLOWED);
});

const SERIES_ALLOWED: Allowance[] = allow(
  'missing',
  'gap (issue 16): the sandbox does not serve this shape yet',
  'items[].recurrence',
  'items[].recurringEventId',
  'items[].originalStartTime',
);

test('people connections.list with a sync token: edits, a relinked contact, a deletion', async () => {
  const personFields = 'names,emailAddresses,phoneNumbers,organizations,metadata';
  const list = (params: Partial<people_v1.Params$Resource$People$Connections$List>) =>
    people.people.connections.list({
      resourceName: 'people/me',
      personFields,
      pageSize: 1000,
      requestSyncToken: true,
      ...params,
    });
  const full = (await list({})).data;
  const [edited, removed] = (full.connections ?? []).map((p) =>
    (p.resourceName as string).slice('people/'.length),
  );
  sandbox.control.updateItem('google', accountId, 'contacts', edited as string, { givenName: 'Renamed' });
  sandbox.control.deleteItem('google', accountId, 'contacts', removed as string);
  const { data } = await list({ syncToken: full.nextSyncToken as string });
  expectConformant(data, fixture('google', 'people.connections.list'), PEOPLE_ALLOWED);
});

const PEOPLE_ALLOWED: Allowance[] = [
  ...allow(
    'missing',
    'gap (issue 16): the sandbox does not serve this shape yet',
    'connections[].metadata.sources[].profileMetadata',
    'connections[].metadata.previousResourceNames',
    'connections[].emailAddresses[].metadata.verified',
    'connections[].emailAddresses[].formattedType',
    'connections[].phoneNumbers[].canonicalForm',
    'connections[].phoneNumbers[].formattedType',
    'connections[].organizations[].title',
  ),
  ...allow(
    'extra',
    'gap (issue 16): the sandbox does not serve this shape yet',
    'connections[].names[].metadata.source.etag',
    'connections[].emailAddresses[].metadata.source.etag',
    'connections[].phoneNumbers[].metadata.source.etag',
    'connections[].organizations[].metadata.source.etag',
  ),
];
