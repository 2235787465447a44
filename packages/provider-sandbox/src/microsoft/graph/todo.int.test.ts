import {
  type Client,
  type GraphError,
  PageIterator,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';
import { type Account } from '../../core/types';
import {
  connectedGraph,
  type MicrosoftSandbox,
  SCOPES,
  startMicrosoftSandbox,
} from '../../../test/microsoft';

let ms: MicrosoftSandbox;
let account: Account;
let client: Client;

const PAGE = { headers: { Prefer: 'odata.maxpagesize=10' } };
type Entry = { id: string; title?: string; status?: string; '@removed'?: { reason: string } };

async function drain(first: PageCollection): Promise<{ items: Entry[]; deltaLink: string }> {
  const items: Entry[] = [];
  const iterator = new PageIterator(client, first, (item: Entry) => items.push(item) > 0, PAGE);
  await iterator.iterate();
  const deltaLink = iterator.getDeltaLink();
  if (deltaLink === undefined) throw new Error('round ended without a delta link');
  return { items, deltaLink };
}

const delta = async (listId: string) =>
  drain(await client.api(`/me/todo/lists/${listId}/tasks/delta`).header('Prefer', PAGE.headers.Prefer).get());
const lists = async () =>
  ((await client.api('/me/todo/lists').get()) as { value: { id: string; displayName: string }[] }).value;
const statusOf = (call: Promise<unknown>) =>
  call.then(
    () => 200,
    (e: GraphError) => [e.statusCode, e.code],
  );

beforeAll(async () => {
  ms = await startMicrosoftSandbox();
  ({ account, client } = await connectedGraph(ms, 'todo@contoso.com', { tasks: 23 }, `${SCOPES} Tasks.Read`));
});
afterAll(() => ms.close());

test('lists and per-list task delta: the initial round, then adds, edits, deletes; tokens stay with their list', async () => {
  const [tasks] = await lists();
  expect(tasks?.displayName).toBe('Tasks');
  const initial = await delta(tasks!.id);
  expect(initial.items).toHaveLength(23);
  expect(initial.items.every((t) => !('todoListId' in t))).toBe(true);

  const other = ms.sandbox.control.addItem('microsoft', account.id, 'todoLists', { displayName: 'Errands' });
  const otherRound = await delta(other.id);
  expect(otherRound.items).toEqual([]);
  const [done, gone] = initial.items.map((t) => t.id);
  ms.sandbox.control.updateItem('microsoft', account.id, 'tasks', done!, { status: 'completed' });
  ms.sandbox.control.deleteItem('microsoft', account.id, 'tasks', gone!);
  const added = ms.sandbox.control.addItem('microsoft', account.id, 'tasks', {
    title: 'Call Ada',
    todoListId: other.id,
  });

  const next = await drain(await client.api(initial.deltaLink).get());
  expect(next.items.map((t) => [t.id, t.status ?? null, t['@removed']?.reason ?? null])).toEqual([
    [done, 'completed', null],
    [gone, null, 'deleted'],
  ]);
  const inOther = await drain(await client.api(otherRound.deltaLink).get());
  expect(inOther.items.filter((t) => !t['@removed']).map((t) => [t.id, t.title])).toEqual([
    [added.id, 'Call Ada'],
  ]);

  // A delta link of one list does not read another's.
  const foreign = initial.deltaLink.replace(tasks!.id, other.id);
  expect(await statusOf(client.api(foreign).get())).toEqual([410, 'syncStateNotFound']);
  ms.sandbox.control.deleteItem('microsoft', account.id, 'todoLists', other.id);
  expect(await statusOf(client.api(`/me/todo/lists/${other.id}/tasks/delta`).get())).toEqual([
    404,
    'ErrorItemNotFound',
  ]);
  expect((await lists()).map((l) => l.id)).toEqual([tasks!.id]);
});

test('a token without a Tasks permission is refused with 403 ErrorAccessDenied', async () => {
  const other = await connectedGraph(ms, 'notasks@contoso.com', { tasks: 1 });
  expect(await statusOf(other.client.api('/me/todo/lists').get())).toEqual([403, 'ErrorAccessDenied']);
});
