import { type Client, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { type Account } from '../../core/types';
import { connectedGraph, type MicrosoftSandbox, startMicrosoftSandbox } from '../../../test/microsoft';

let ms: MicrosoftSandbox;
let account: Account;
let client: Client;

const CAP = 20;
const MAIL = '/me/mailFolders/inbox/messages/delta';
const PAGE = { Prefer: 'odata.maxpagesize=5' };
type Entry = { id: string; receivedDateTime?: string; '@removed'?: { reason: string } };

async function drain(first: PageCollection) {
  const items: Entry[] = [];
  const iterator = new PageIterator(client, first, (item: Entry) => items.push(item) > 0, { headers: PAGE });
  await iterator.iterate();
  return { items, deltaLink: iterator.getDeltaLink() as string };
}
const get = (url: string) => client.api(url).headers(PAGE).get() as Promise<PageCollection>;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
/** Edits the first character of a link's token (its sealed body starts `eyJ`, base64url of `{"`). */
const edited = (link: string) => link.replace(/(token=)e/, '$1f');

beforeAll(async () => {
  ms = await startMicrosoftSandbox({}, { messageDeltaFilterCap: CAP });
  ({ account, client } = await connectedGraph(ms, 'strict@contoso.com', {
    messages: 30,
    contacts: 30,
    events: 10,
  }));
});
afterAll(() => ms.close());

test('a changes round resumes by sequence: an item edited between pages skips nothing', async () => {
  const { deltaLink, items } = await drain(await get('/me/contacts/delta'));
  const ids = items.map((c) => c.id).slice(0, 12);
  const edit = (id: string, givenName: string) =>
    ms.sandbox.control.updateItem('microsoft', account.id, 'contacts', id, { givenName });
  for (const id of ids) edit(id, 'One');
  const first = await get(deltaLink);
  const served = first.value.map((c: Entry) => c.id);
  edit(served[0], 'Two');
  edit(ids[8]!, 'Two');
  const rest = await drain(first);
  expect(rest.items.map((c) => c.id).sort()).toEqual(ids.filter((id) => id !== ids[8]).sort());
  const next = await drain(await get(rest.deltaLink));
  expect(next.items.map((c) => c.id).sort()).toEqual([served[0], ids[8]].sort());
});

test('an edited skip or delta token, or one from another resource, is refused, never another page', async () => {
  const first = await get('/me/contacts/delta');
  const { deltaLink } = await drain(first);
  const mailLink = (await get(MAIL))['@odata.nextLink'] as string;
  const foreign = `/me/contacts/delta?$skiptoken=${new URL(mailLink).searchParams.get('$skiptoken')}`;
  for (const link of [edited(first['@odata.nextLink'] as string), edited(deltaLink), foreign]) {
    expect(await failure(get(link))).toMatchObject({ statusCode: 410, code: 'syncStateNotFound' });
  }
});

test('message delta: $filter on receivedDateTime is honoured and capped; other values are refused', async () => {
  const all = await drain(await get(MAIL));
  const received = all.items.map((m) => Date.parse(m.receivedDateTime!)).sort((a, b) => a - b);
  const from = new Date(received[5]!).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const filtered = await drain(await get(`${MAIL}?$filter=receivedDateTime ge ${from}`));
  // 25 messages are in the window; the round ends at the cap and never serves the rest.
  expect(filtered.items).toHaveLength(CAP);
  expect(filtered.items.every((m) => Date.parse(m.receivedDateTime!) >= received[5]!)).toBe(true);
  expect((await drain(await get(filtered.deltaLink))).items).toEqual([]);
  const gt = await drain(await get(`${MAIL}?$filter=receivedDateTime gt ${from}&$top=3`));
  expect(gt.items.map((m) => Date.parse(m.receivedDateTime!))).toEqual(
    expect.not.arrayContaining([received[5]]),
  );
  expect(gt.items).toHaveLength(3);
  for (const query of ["$filter=subject eq 'x'", '$filter=receivedDateTime le 2020-01-01T00:00:00Z']) {
    expect(await failure(get(`${MAIL}?${query}`))).toMatchObject({
      statusCode: 400,
      code: 'ErrorInvalidUrlQuery',
      message:
        "The '$filter' parameter value is not supported for 'Messages' resource; only a value of 'receivedDateTime ge value' is supported.",
    });
  }
});

test('message delta: $orderby only as receivedDateTime desc (newest first); no $search', async () => {
  const newest = await drain(await get(`${MAIL}?$orderby=receivedDateTime desc`));
  const times = newest.items.map((m) => Date.parse(m.receivedDateTime!));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  for (const query of ['$orderby=receivedDateTime asc', '$orderby=subject', '$search="invoice"', '$skip=2']) {
    expect(await failure(get(`${MAIL}?${query}`))).toMatchObject({
      statusCode: 400,
      code: 'ErrorInvalidUrlQuery',
    });
  }
});

test('calendarView delta takes no OData options; contacts delta no $filter', async () => {
  const window = 'startDateTime=2020-01-01T00:00:00Z&endDateTime=2030-01-01T00:00:00Z';
  for (const url of [
    `/me/calendarView/delta?${window}&$select=subject`,
    `/me/calendarView/delta?${window}&$filter=isAllDay eq true`,
    "/me/contacts/delta?$filter=givenName eq 'Ada'",
  ]) {
    expect(await failure(get(url))).toMatchObject({ statusCode: 400, code: 'ErrorInvalidUrlQuery' });
  }
});

test('Prefer outlook.body-content-type converts bodies and is echoed in Preference-Applied', async () => {
  const prefer = 'odata.maxpagesize=2, outlook.body-content-type="html"';
  const page = (await client.api(MAIL).headers({ Prefer: prefer }).get()) as PageCollection;
  const message = page.value[0] as { body: { contentType: string; content: string }; '@odata.type': string };
  expect(message['@odata.type']).toBe('#microsoft.graph.message');
  expect(message.body.contentType).toBe('html');
  expect(message.body.content).toMatch(/^<html><body>.*<br>/s);
});
