import {
  type Client,
  GraphError,
  PageIterator,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';
import { type Account } from '../../core/types';
import { connectedGraph, type MicrosoftSandbox, startMicrosoftSandbox } from '../../../test/microsoft';

let ms: MicrosoftSandbox;
let account: Account;
let client: Client;

const PAGE = { headers: { Prefer: 'odata.maxpagesize=10' } };
type Entry = { id: string; subject?: string; '@removed'?: { reason: string } };

/** Follows next links with the official PageIterator; returns items and the round's delta link. */
async function drain(first: PageCollection, options = PAGE): Promise<{ items: Entry[]; deltaLink: string }> {
  const items: Entry[] = [];
  const iterator = new PageIterator(client, first, (item: Entry) => items.push(item) > 0, options);
  await iterator.iterate();
  const deltaLink = iterator.getDeltaLink();
  if (deltaLink === undefined) throw new Error('round ended without a delta link');
  return { items, deltaLink };
}

beforeAll(async () => {
  ms = await startMicrosoftSandbox();
  ({ account, client } = await connectedGraph(ms, 'ada.lovelace@contoso.com', {
    messages: 25,
    events: 40,
    contacts: 12,
  }));
});
afterAll(() => ms.close());

test('GET /me arrives with the bearer token and returns the signed-in user', async () => {
  ms.sandbox.control.resetCounters();
  const me = (await client.api('/me').get()) as { id: string; mail: string };
  expect(me).toMatchObject({ id: account.id, mail: account.email });
  expect(ms.sandbox.control.counters()).toEqual([
    expect.objectContaining({ route: 'graph.me.get', tokenState: 'valid', status: 200 }),
  ]);
  const selected = (await client.api('/me').select(['id', 'mail']).get()) as Record<string, unknown>;
  expect(Object.keys(selected).sort()).toEqual(['@odata.context', 'id', 'mail']);
});

test('mail delta pages to the end, then reports adds, edits and deletes', async () => {
  const first = (await client
    .api('/me/mailFolders/inbox/messages/delta')
    .headers(PAGE.headers)
    .get()) as PageCollection;
  expect(first['@odata.nextLink']).toMatch(
    new RegExp(`^${ms.sandbox.urls.microsoft}/v1.0/me/mailFolders/inbox/messages/delta\\?\\$skiptoken=`),
  );
  const initial = await drain(first);
  expect(initial.items).toHaveLength(25);
  expect(new Set(initial.items.map((m) => m.id)).size).toBe(25);
  expect(initial.deltaLink).toContain('$deltatoken=');

  const control = ms.sandbox.control;
  const added = control.addItem('microsoft', account.id, 'messages', { subject: 'Brand new' });
  const [edited, removed] = initial.items;
  control.updateItem('microsoft', account.id, 'messages', edited!.id, { subject: 'Edited subject' });
  control.deleteItem('microsoft', account.id, 'messages', removed!.id);

  const changes = await drain(
    (await client.api(initial.deltaLink).headers(PAGE.headers).get()) as PageCollection,
  );
  expect(changes.items).toEqual([
    expect.objectContaining({ id: added.id, subject: 'Brand new' }),
    expect.objectContaining({ id: edited!.id, subject: 'Edited subject' }),
    { '@odata.type': '#microsoft.graph.message', id: removed!.id, '@removed': { reason: 'deleted' } },
  ]);
  const quiet = await drain((await client.api(changes.deltaLink).get()) as PageCollection);
  expect(quiet.items).toEqual([]);
});

test('$select is kept across pages and the immutable-id preference changes the id form', async () => {
  const headers = { Prefer: 'odata.maxpagesize=20, IdType="ImmutableId"' };
  const first = (await client
    .api('/me/mailFolders/inbox/messages/delta')
    .select(['subject'])
    .headers(headers)
    .get()) as PageCollection;
  const { items } = await drain(first, { headers });
  expect(items.length).toBeGreaterThan(20);
  for (const item of items) {
    expect(Object.keys(item).sort()).toEqual(['@odata.etag', '@odata.type', 'id', 'subject']);
    expect(item.id.startsWith('AAkALg')).toBe(true);
  }
});

test('an expired delta token answers 410 syncStateNotFound', async () => {
  const { deltaLink } = await drain((await client.api('/me/contacts/delta').get()) as PageCollection);
  ms.sandbox.control.expireCursors('microsoft', account.id, 'contacts');
  const error = await client
    .api(deltaLink)
    .get()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(GraphError);
  expect(error).toMatchObject({ statusCode: 410, code: 'syncStateNotFound' });
  expect((error as GraphError).requestId).toEqual(expect.any(String));
});

test('a token from another resource is refused as stale', async () => {
  const { deltaLink } = await drain((await client.api('/me/contacts/delta').get()) as PageCollection);
  const token = new URL(deltaLink).searchParams.get('$deltatoken') ?? '';
  const error = await client
    .api(`/me/mailFolders/inbox/messages/delta?$deltatoken=${token}`)
    .get()
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ statusCode: 410, code: 'syncStateNotFound' });
});

test('contacts delta is served on both the default-folder and the folder path', async () => {
  const viaDefault = await drain((await client.api('/me/contacts/delta').get()) as PageCollection);
  const folderId = (viaDefault.items[0] as Entry & { parentFolderId: string }).parentFolderId;
  const viaFolder = await drain(
    (await client.api(`/me/contactFolders/${folderId}/contacts/delta`).get()) as PageCollection,
  );
  expect(viaFolder.items.map((c) => c.id)).toEqual(viaDefault.items.map((c) => c.id));
  expect(viaDefault.items).toHaveLength(12);
});

test('calendarView delta keeps its window and reports events moved out of it as removed', async () => {
  const start = new Date(account.createdAt).toISOString();
  const end = new Date(account.createdAt + 14 * 86_400_000).toISOString();
  const url = `/me/calendarView/delta?startDateTime=${start}&endDateTime=${end}`;
  const initial = await drain((await client.api(url).get()) as PageCollection);
  type Ev = Entry & { start: { dateTime: string }; end: { dateTime: string } };
  const events = initial.items as Ev[];
  expect(events.length).toBeGreaterThan(0);
  expect(events.length).toBeLessThan(40);
  for (const event of events) {
    expect(Date.parse(`${event.start.dateTime}Z`)).toBeLessThan(Date.parse(end));
    expect(Date.parse(`${event.end.dateTime}Z`)).toBeGreaterThan(Date.parse(start));
  }
  const moved = events[0]!;
  const farAway = { dateTime: '2099-01-01T10:00:00.0000000', timeZone: 'UTC' };
  ms.sandbox.control.updateItem('microsoft', account.id, 'events', moved.id, {
    start: farAway,
    end: farAway,
  });
  const changes = await drain((await client.api(initial.deltaLink).get()) as PageCollection);
  expect(changes.items).toEqual([
    expect.objectContaining({ id: moved.id, '@removed': { reason: 'deleted' } }),
  ]);
});

test('calendarView delta without a window is a 400', async () => {
  const error = await client
    .api('/me/calendarView/delta')
    .get()
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ statusCode: 400, code: 'ErrorInvalidRequest' });
});
