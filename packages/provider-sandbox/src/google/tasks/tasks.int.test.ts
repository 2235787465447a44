import { type GaxiosError } from 'gaxios';
import { type tasks_v1 } from 'googleapis';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, GMAIL_READONLY, sandboxGoogleApis, TASKS_READONLY } from '../../../test';

let sandbox: RunningSandbox;
let tasks: tasks_v1.Tasks;
let accountId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'tt@example.com',
    sizes: { tasks: 45 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'tt@example.com', ['openid', 'email', TASKS_READONLY]);
  tasks = sandboxGoogleApis(sandbox, client).tasks;
});
afterAll(() => sandbox.close());

async function drain(params: Omit<tasks_v1.Params$Resource$Tasks$List, 'maxResults'>) {
  const items: tasks_v1.Schema$Task[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const { data } = await tasks.tasks.list({
      ...params,
      maxResults: 20,
      ...(pageToken ? { pageToken } : {}),
    });
    items.push(...(data.items ?? []));
    if (!data.nextPageToken) return items;
    pageToken = data.nextPageToken;
  }
}

const statusOf = (call: Promise<unknown>) =>
  call.then(
    () => 200,
    (e: GaxiosError) => [
      e.response?.status,
      (e.response?.data as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason,
    ],
  );

test('the default list holds the tasks; pages follow opaque tokens bound to their query', async () => {
  const { data: lists } = await tasks.tasklists.list({});
  expect(lists.items?.map((l) => l.title)).toEqual(['My Tasks']);
  const listId = lists.items![0]!.id!;
  const all = await drain({ tasklist: listId });
  expect(all).toHaveLength(45);
  expect(new Set(all.map((t) => t.id)).size).toBe(45);
  expect(all.every((t) => t.status === 'needsAction' || (t.status === 'completed' && t.completed))).toBe(
    true,
  );

  const { data: first } = await tasks.tasks.list({ tasklist: listId, maxResults: 20 });
  const token = first.nextPageToken!;
  expect(
    await statusOf(
      tasks.tasks.list({ tasklist: listId, maxResults: 20, showDeleted: true, pageToken: token }),
    ),
  ).toEqual([400, 'invalidArgument']);
  expect(await statusOf(tasks.tasks.list({ tasklist: listId, pageToken: `${token}x` }))).toEqual([
    400,
    'invalidArgument',
  ]);
  expect(await statusOf(tasks.tasks.list({ tasklist: 'no-such-list' }))).toEqual([404, 'notFound']);
  expect(await statusOf(tasks.tasks.list({ tasklist: listId, updatedMin: 'yesterday' }))).toEqual([
    400,
    'invalid',
  ]);
});

test('updatedMin with showDeleted and showHidden lists what changed: completed, deleted, hidden, moved', async () => {
  const control = sandbox.control;
  const listId = (await tasks.tasklists.list({})).data.items![0]!.id!;
  const other = control.addItem('google', accountId, 'tasklists', { title: 'Errands' });
  const before = await drain({ tasklist: listId });
  const since = new Date().toISOString();
  const [done, gone, cleared, moved] = before.slice(0, 4).map((t) => t.id!);
  await new Promise((resolve) => setTimeout(resolve, 5));
  control.updateItem('google', accountId, 'tasks', done!, { completed: true });
  control.updateItem('google', accountId, 'tasks', gone!, { deleted: true });
  control.updateItem('google', accountId, 'tasks', cleared!, { completed: true, hidden: true });
  control.updateItem('google', accountId, 'tasks', moved!, { listId: other.id });
  const added = control.addItem('google', accountId, 'tasks', { title: 'New', listId: other.id });

  const changed = await drain({ tasklist: listId, updatedMin: since, showDeleted: true, showHidden: true });
  expect(changed.map((t) => [t.id, t.status, t.deleted ?? false, t.hidden ?? false])).toEqual([
    [done, 'completed', false, false],
    [gone, before[1]!.status, true, false],
    [cleared, 'completed', false, true],
  ]);
  // Without the flags Google leaves deleted and hidden tasks out.
  expect((await drain({ tasklist: listId, updatedMin: since })).map((t) => t.id)).toEqual([done]);
  expect((await drain({ tasklist: other.id, updatedMin: since })).map((t) => [t.id, t.title])).toEqual([
    [moved, before[3]!.title],
    [added.id, 'New'],
  ]);

  control.deleteItem('google', accountId, 'tasklists', other.id);
  expect(await statusOf(tasks.tasks.list({ tasklist: other.id }))).toEqual([404, 'notFound']);
  expect((await tasks.tasklists.list({})).data.items?.map((l) => l.id)).toEqual([listId]);
});

test('a token without a tasks scope is refused with 403 insufficientPermissions', async () => {
  const { client } = await connectGoogle(sandbox, 'tt@example.com', ['openid', 'email', GMAIL_READONLY]);
  const other = sandboxGoogleApis(sandbox, client).tasks;
  expect(await statusOf(other.tasklists.list({}))).toEqual([403, 'insufficientPermissions']);
});
