import {
  type Client,
  GraphError,
  PageIterator,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';
import { type Account } from '../../core/types';
import { connectedGraph, type MicrosoftSandbox, startMicrosoftSandbox } from '../../../test/microsoft';
import { FOLDER_IDS } from './folders';

let ms: MicrosoftSandbox;
let account: Account;
let client: Client;
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };
type Entry = { id: string; '@removed'?: unknown; parentFolderId?: string; displayName?: string };

const drain = (first: PageCollection) => drainWith(client, first);

async function drainWith(
  client: Client,
  first: PageCollection,
): Promise<{ items: Entry[]; deltaLink: string }> {
  const items: Entry[] = [];
  const iterator = new PageIterator(client, first, (item: Entry) => items.push(item) > 0, {
    headers: IMMUTABLE,
  });
  await iterator.iterate();
  return { items, deltaLink: iterator.getDeltaLink() ?? '' };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

beforeAll(async () => {
  ms = await startMicrosoftSandbox();
  ({ account, client } = await connectedGraph(ms, 'folders.owner@contoso.com', { messages: 15 }));
});
afterAll(() => ms.close());

test('mailFolders lists the top level, childFolders the rest; a well-known name works as an id', async () => {
  const top = (await client.api('/me/mailFolders').get()) as { value: Entry[] };
  expect(top.value.map((f) => f.displayName).sort()).toEqual(
    ['Archive', 'Clients', 'Deleted Items', 'Drafts', 'Inbox', 'Junk Email', 'Sent Items'].sort(),
  );
  const children = (await client.api('/me/mailFolders/inbox/childFolders').get()) as { value: Entry[] };
  expect(children.value.map((f) => [f.id, f.parentFolderId])).toEqual([[FOLDER_IDS.acme, FOLDER_IDS.inbox]]);
  const junk = (await client.api('/me/mailFolders/JunkEmail').select(['id']).get()) as Record<
    string,
    unknown
  >;
  expect(junk).toMatchObject({ id: FOLDER_IDS.junkemail });
  expect(await failure(client.api('/me/mailFolders/nope').get())).toMatchObject({ statusCode: 404 });
});

test('mailFolders delta lists the whole hierarchy flat, then no changes', async () => {
  const first = await drain((await client.api('/me/mailFolders/delta').get()) as PageCollection);
  expect(first.items.map((f) => f.id).sort()).toEqual(Object.values(FOLDER_IDS).sort());
  const next = await drain((await client.api(first.deltaLink).get()) as PageCollection);
  expect(next.items).toEqual([]);
});

test('mailFolders delta reports folders added, renamed, moved and deleted since its link; a deleted folder takes its messages', async () => {
  // An account of its own: this test changes the folder tree.
  const own = await connectedGraph(ms, 'folders.changes@contoso.com', { messages: 3 });
  const [account, client] = [own.account, own.client];
  const drain = (first: PageCollection) => drainWith(client, first);
  const first = await drain((await client.api('/me/mailFolders/delta').get()) as PageCollection);
  const control = ms.sandbox.control;
  const added = control.addItem('microsoft', account.id, 'mailFolders', {
    displayName: 'Deals',
    parentFolderId: FOLDER_IDS.inbox,
  }).id;
  control.updateItem('microsoft', account.id, 'mailFolders', FOLDER_IDS.clients, {
    displayName: 'Customers',
  });
  control.updateItem('microsoft', account.id, 'mailFolders', FOLDER_IDS.acme, {
    parentFolderId: FOLDER_IDS.deleteditems,
  });
  const next = await drain((await client.api(first.deltaLink).get()) as PageCollection);
  expect(next.items.map((f) => [f.id, f.displayName, f.parentFolderId]).sort()).toEqual(
    [
      [added, 'Deals', FOLDER_IDS.inbox],
      [FOLDER_IDS.clients, 'Customers', expect.any(String)],
      [FOLDER_IDS.acme, 'Acme', FOLDER_IDS.deleteditems],
    ].sort(),
  );
  const inbox = (await client.api('/me/mailFolders/inbox').get()) as { childFolderCount: number };
  expect(inbox.childFolderCount).toBe(1);

  // A message filed in the new folder; then the folder is deleted for good: its message and delta go with it.
  const [message] = (
    await drain(
      (await client.api('/me/mailFolders/inbox/messages/delta').headers(IMMUTABLE).get()) as PageCollection,
    )
  ).items;
  const stored = `AAMkAG${message!.id.slice('AAkALg'.length)}`;
  control.updateItem('microsoft', account.id, 'messages', stored, { parentFolderId: added });
  const inAdded = await drain(
    (await client.api(`/me/mailFolders/${added}/messages/delta`).headers(IMMUTABLE).get()) as PageCollection,
  );
  expect(inAdded.items.map((m) => m.id)).toEqual([message!.id]);
  control.deleteItem('microsoft', account.id, 'mailFolders', added);
  const last = await drain((await client.api(next.deltaLink).get()) as PageCollection);
  expect(last.items).toEqual([expect.objectContaining({ id: added, '@removed': { reason: 'deleted' } })]);
  expect(await failure(client.api(`/me/messages/${message!.id}`).get())).toMatchObject({ statusCode: 404 });
  expect(await failure(client.api(inAdded.deltaLink).get())).toMatchObject({ statusCode: 404 });
  expect(await failure(client.api(`/me/mailFolders/${added}`).get())).toMatchObject({ statusCode: 404 });

  // An edited delta link is refused, not read as another position.
  // A character in the middle of the token: the last one of unpadded base64 may carry only unused bits.
  const url = new URL(last.deltaLink);
  const [name, token] = [...url.searchParams].find(([key]) => key.toLowerCase().includes('token'))!;
  const middle = Math.floor(token.length / 2);
  url.searchParams.set(
    name,
    `${token.slice(0, middle)}${token[middle] === 'A' ? 'B' : 'A'}${token.slice(middle + 1)}`,
  );
  const edited = url.toString();
  expect(await failure(client.api(edited).get())).toMatchObject({ statusCode: 410 });
});

test('a moved message leaves one folder delta as @removed and joins the other under the same immutable id', async () => {
  const delta = async (folder: string) =>
    drain(
      (await client
        .api(`/me/mailFolders/${folder}/messages/delta`)
        .headers(IMMUTABLE)
        .get()) as PageCollection,
    );
  const inbox = await delta('inbox');
  const archive = await delta('archive');
  const sent = await delta('sentitems');
  expect(inbox.items).toHaveLength(15);
  expect(archive.items).toEqual([]);
  const moved = inbox.items[0]!.id;
  const stored = `AAMkAG${moved.slice('AAkALg'.length)}`;
  ms.sandbox.control.updateItem('microsoft', account.id, 'messages', stored, {
    parentFolderId: FOLDER_IDS.archive,
  });
  const fromInbox = await drain(
    (await client.api(inbox.deltaLink).headers(IMMUTABLE).get()) as PageCollection,
  );
  expect(fromInbox.items).toEqual([
    expect.objectContaining({ id: moved, '@removed': { reason: 'deleted' } }),
  ]);
  const intoArchive = await drain(
    (await client.api(archive.deltaLink).headers(IMMUTABLE).get()) as PageCollection,
  );
  expect(intoArchive.items).toEqual([
    expect.objectContaining({ id: moved, parentFolderId: FOLDER_IDS.archive }),
  ]);

  // A folder the message never was in does not mention the move.
  const elsewhere = await drain(
    (await client.api(sent.deltaLink).headers(IMMUTABLE).get()) as PageCollection,
  );
  expect(elsewhere.items).toEqual([]);

  const got = (await client
    .api(`/me/messages/${moved}`)
    .select(['parentFolderId'])
    .headers(IMMUTABLE)
    .get()) as Entry;
  expect(got).toMatchObject({ id: moved, parentFolderId: FOLDER_IDS.archive });
  ms.sandbox.control.deleteItem('microsoft', account.id, 'messages', stored);
  const gone = await failure(client.api(`/me/messages/${moved}`).get());
  expect(gone).toBeInstanceOf(GraphError);
  expect(gone).toMatchObject({ statusCode: 404, code: 'ErrorItemNotFound' });
});
