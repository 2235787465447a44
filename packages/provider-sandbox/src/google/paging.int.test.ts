import { type calendar_v3, type gmail_v1, type people_v1 } from 'googleapis';
import { type RunningSandbox } from '../core/types';
import { startSandbox } from '../start';
import { connectGoogle, failure, sandboxGoogleApis } from '../../test';

let sandbox: RunningSandbox;
let accountId: string;
let apis: ReturnType<typeof sandboxGoogleApis>;
let other: ReturnType<typeof sandboxGoogleApis>;

beforeAll(async () => {
  sandbox = await startSandbox();
  const sizes = { messages: 40, events: 40, contacts: 40 };
  accountId = sandbox.control.createAccount({ provider: 'google', email: 'pg@example.com', sizes }).id;
  sandbox.control.createAccount({ provider: 'google', email: 'other@example.com', sizes });
  apis = sandboxGoogleApis(sandbox, (await connectGoogle(sandbox, 'pg@example.com')).client);
  other = sandboxGoogleApis(sandbox, (await connectGoogle(sandbox, 'other@example.com')).client);
});
afterAll(() => sandbox.close());

/** Edits the token's first character (its sealed body starts `eyJ`, base64url of `{"`). */
const edited = (token: string) => `f${token.slice(1)}`;
const control = () => sandbox.control;
const unique = (ids: string[]) => new Set(ids).size;

describe('Gmail', () => {
  const list = (api: gmail_v1.Gmail, pageToken?: string) =>
    api.users.messages.list({ userId: 'me', maxResults: 10, ...(pageToken ? { pageToken } : {}) });

  test('messages.list pages by position: edits, deletes and adds between pages skip and repeat nothing', async () => {
    const first = await list(apis.gmail);
    const ids = (first.data.messages ?? []).map((m) => m.id as string);
    control().deleteItem('google', accountId, 'messages', ids[2]!);
    control().updateItem('google', accountId, 'messages', ids[9]!, { subject: 'Edited' });
    control().addItem('google', accountId, 'messages', { subject: 'New, at the top' });
    let pageToken = first.data.nextPageToken ?? undefined;
    while (pageToken) {
      const { data } = await list(apis.gmail, pageToken);
      ids.push(...(data.messages ?? []).map((m) => m.id as string));
      pageToken = data.nextPageToken ?? undefined;
    }
    expect(ids).toHaveLength(40);
    expect(unique(ids)).toBe(40);
  });

  test('an edited, foreign or replayed-elsewhere page token is 400 Invalid pageToken', async () => {
    const token = (await list(apis.gmail)).data.nextPageToken as string;
    const history = (await apis.gmail.users.getProfile({ userId: 'me' })).data.historyId as string;
    for (const call of [
      list(apis.gmail, edited(token)),
      list(apis.gmail, '10'),
      list(other.gmail, token),
      apis.gmail.users.history.list({ userId: 'me', startHistoryId: history, pageToken: token }),
    ]) {
      const error = await failure(call);
      expect(error.status).toBe(400);
      expect(error.response?.data).toMatchObject({
        error: { code: 400, message: 'Invalid pageToken', errors: [{ reason: 'invalidArgument' }] },
      });
    }
  });
});

describe('Calendar', () => {
  const list = (params: calendar_v3.Params$Resource$Events$List) =>
    apis.calendar.events.list({ calendarId: 'primary', maxResults: 5, ...params });

  test('an incremental round resumes by sequence: an event edited between pages skips nothing', async () => {
    let full = await list({});
    while (full.data.nextPageToken) full = await list({ pageToken: full.data.nextPageToken });
    const syncToken = full.data.nextSyncToken as string;
    const ids = (await list({ maxResults: 40 })).data.items!.map((e) => e.id as string).slice(0, 12);
    for (const id of ids) control().updateItem('google', accountId, 'events', id, { summary: 'Round 1' });
    const first = await list({ syncToken });
    const served = first.data.items!.map((e) => e.id as string);
    // An event already served and one not served yet change again while the round pages.
    control().updateItem('google', accountId, 'events', served[0]!, { summary: 'Round 2' });
    control().updateItem('google', accountId, 'events', ids[8]!, { summary: 'Round 2' });
    let page = first;
    while (page.data.nextPageToken) {
      page = await list({ syncToken, pageToken: page.data.nextPageToken });
      served.push(...page.data.items!.map((e) => e.id as string));
    }
    // ids[8] moved past the round's end: it comes with the next sync, everything else exactly once now.
    expect(served.sort()).toEqual(ids.filter((id) => id !== ids[8]).sort());
    const next = await list({ syncToken: page.data.nextSyncToken as string, maxResults: 40 });
    expect(next.data.items!.map((e) => e.id).sort()).toEqual([served[0], ids[8]].sort());
  });

  test('page tokens only continue their own query; edited sync tokens are refused', async () => {
    const timeMin = '2000-01-01T00:00:00Z';
    const token = (await list({ timeMin })).data.nextPageToken as string;
    expect((await list({ timeMin, pageToken: token, maxResults: 7 })).status).toBe(200);
    for (const call of [
      list({ timeMin, pageToken: edited(token) }),
      list({ timeMin: '2001-01-01T00:00:00Z', pageToken: token }),
      other.calendar.events.list({ calendarId: 'primary', timeMin, pageToken: token }),
    ]) {
      const error = await failure(call);
      expect(error.status).toBe(400);
      expect(error.response?.data).toMatchObject({ error: { errors: [{ location: 'pageToken' }] } });
    }
    const syncToken = (await list({ maxResults: 2500 })).data.nextSyncToken as string;
    expect((await failure(list({ syncToken: edited(syncToken) }))).status).toBe(410);
    expect((await failure(list({ syncToken: token }))).status).toBe(410);
  });

  test('q and updatedMin filter a full listing and are refused next to a syncToken', async () => {
    const all = (await list({ maxResults: 2500 })).data;
    const summary = all.items![0]!.summary as string;
    const found = (await list({ q: summary.toUpperCase(), maxResults: 2500 })).data.items!;
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((e) => e.summary === summary)).toBe(true);
    const updatedMin = new Date(Date.now() - 60_000).toISOString();
    const recent = (await list({ updatedMin, maxResults: 2500 })).data.items!;
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.items!.length);
    for (const param of [{ q: 'x' }, { updatedMin }]) {
      const error = await failure(list({ syncToken: all.nextSyncToken as string, ...param }));
      expect(error.status).toBe(400);
    }
  });
});

describe('People', () => {
  const personFields = 'names,metadata';
  const list = (params: Omit<people_v1.Params$Resource$People$Connections$List, 'resourceName'>) =>
    apis.people.people.connections.list({
      resourceName: 'people/me',
      personFields,
      pageSize: 5,
      requestSyncToken: true,
      ...params,
    });

  test('an incremental round resumes by sequence: a contact edited between pages skips nothing', async () => {
    let full = await list({});
    while (full.data.nextPageToken) full = await list({ pageToken: full.data.nextPageToken });
    const syncToken = full.data.nextSyncToken as string;
    const names = (await list({ pageSize: 40 })).data.connections!.map((p) => p.resourceName as string);
    const ids = names.slice(0, 12).map((name) => name.replace('people/', ''));
    for (const id of ids) control().updateItem('google', accountId, 'contacts', id, { givenName: 'One' });
    const first = await list({ syncToken });
    const served = first.data.connections!.map((p) => p.resourceName!.replace('people/', ''));
    control().updateItem('google', accountId, 'contacts', ids[8]!, { givenName: 'Two' });
    let page = first;
    while (page.data.nextPageToken) {
      page = await list({ syncToken, pageToken: page.data.nextPageToken });
      served.push(...page.data.connections!.map((p) => p.resourceName!.replace('people/', '')));
    }
    expect(served.sort()).toEqual(ids.filter((id) => id !== ids[8]).sort());
    const next = await list({ syncToken: page.data.nextSyncToken as string, pageSize: 40 });
    expect(next.data.connections!.map((p) => p.resourceName)).toEqual([`people/${ids[8]}`]);
  });

  test('a page token with other parameters, edited or foreign, is a 400; an edited sync token is expired', async () => {
    const token = (await list({})).data.nextPageToken as string;
    for (const call of [
      list({ pageToken: token, pageSize: 6 }),
      list({ pageToken: edited(token) }),
      other.people.people.connections.list({
        resourceName: 'people/me',
        personFields,
        pageSize: 5,
        requestSyncToken: true,
        pageToken: token,
      }),
    ]) {
      expect((await failure(call)).status).toBe(400);
    }
    const error = await failure(list({ syncToken: edited(token) }));
    expect(error.response?.data).toMatchObject({ error: { details: [{ reason: 'EXPIRED_SYNC_TOKEN' }] } });
  });
});
