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

async function drain(first: PageCollection): Promise<{ items: Entry[]; deltaLink: string }> {
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
