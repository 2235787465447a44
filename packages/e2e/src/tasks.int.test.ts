import { type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Provider } from '@crm-sync/core';
import { waitFor } from '@crm-sync/testing';
import { connectThroughApi, serviceCall } from '../test/connectApi';
import { threeAppsSuite } from '../test/threeApps';

// Issue 23, tasks: connect-api, worker and scheduler as processes, the sandbox as Google and Microsoft. What a user
// does to tasks at the provider reaches the CRM through the read API (docs/read-api.md) after the next round.

let h: ConnectionsHarness;
let baseUrl: string;
threeAppsSuite((apps) => ({ h, baseUrl } = apps));
jest.setTimeout(180_000);

const api = (path: string, init?: Parameters<typeof serviceCall>[2]) => serviceCall(baseUrl, path, init);

interface TaskItem {
  externalId: string;
  record: {
    listId: string;
    listTitle: string | null;
    title: string | null;
    status: string;
    completedAt: string | null;
  };
}

interface SyncState {
  resource: string;
  enabled: boolean;
  status: string;
  lastSuccessAt: string | null;
  disabledReason: string | null;
}

/** The connection's live tasks as the CRM reads them, by external id (one page: the accounts here are small). */
async function readTasks(connectionId: string): Promise<Map<string, TaskItem['record']>> {
  const answer = await api(`/v1/connections/${connectionId}/tasks?tenantId=t1&limit=1000`);
  expect(answer.status).toBe(200);
  const page = (await answer.json()) as { items: TaskItem[]; hasMore: boolean };
  expect(page.hasMore).toBe(false);
  return new Map(page.items.map((item) => [item.externalId, item.record]));
}

const syncStates = async (connectionId: string) => {
  const answer = await api(`/v1/connections/${connectionId}?tenantId=t1`);
  return ((await answer.json()) as { sync: SyncState[] }).sync;
};

/**
 * The tasks resource finished a round and none runs: a sync asked for while a round runs is folded into it (the job
 * id dedupes), so a change made at the provider before that could go unseen by the round it asked for.
 */
async function settled(connectionId: string): Promise<void> {
  await waitFor(
    async () =>
      (await syncStates(connectionId)).some(
        (s) => s.resource === 'tasks' && s.status !== 'running' && s.lastSuccessAt !== null,
      ),
    { what: 'the tasks round to end', timeoutMs: 60_000 },
  );
}

/** Asks for a tasks round and waits until the CRM reads what `expected` wants. */
async function syncUntil(
  connectionId: string,
  what: string,
  expected: (tasks: Map<string, TaskItem['record']>) => boolean,
): Promise<Map<string, TaskItem['record']>> {
  await settled(connectionId);
  const asked = await api(`/v1/connections/${connectionId}/sync`, {
    json: { tenantId: 't1', resources: ['tasks'] },
  });
  expect(asked.status).toBe(202);
  return waitFor(
    async () => {
      const tasks = await readTasks(connectionId);
      return expected(tasks) && tasks;
    },
    { what, timeoutMs: 60_000, intervalMs: 250 },
  );
}

/** What a user does to tasks in each provider's app, through the sandbox's control API. */
interface TasksAtProvider {
  addList(title: string): string;
  deleteList(listId: string): void;
  add(title: string, listId: string): string;
  rename(taskId: string, title: string): void;
  complete(taskId: string): void;
  remove(taskId: string): void;
  /** Moves a task to another list; the task's id after the move. */
  move(taskId: string, title: string, listId: string): string;
}

const atProvider = (provider: Provider, accountId: string): TasksAtProvider => {
  const control = h.sandbox.control;
  if (provider === 'google')
    return {
      addList: (title) => control.addItem('google', accountId, 'tasklists', { title }).id,
      deleteList: (listId) => control.deleteItem('google', accountId, 'tasklists', listId),
      add: (title, listId) => control.addItem('google', accountId, 'tasks', { title, listId }).id,
      rename: (taskId, title) => control.updateItem('google', accountId, 'tasks', taskId, { title }),
      complete: (taskId) => control.updateItem('google', accountId, 'tasks', taskId, { completed: true }),
      // Google keeps a deleted task, marked `deleted`, for `showDeleted` (docs/providers/google.md#tasks-sync).
      remove: (taskId) => control.updateItem('google', accountId, 'tasks', taskId, { deleted: true }),
      // `tasks.move` to another list: the sandbox keeps the id, which Google does not document
      // (docs/providers/google.md).
      move: (taskId, _title, listId) => {
        control.updateItem('google', accountId, 'tasks', taskId, { listId });
        return taskId;
      },
    };
  return {
    addList: (displayName) => control.addItem('microsoft', accountId, 'todoLists', { displayName }).id,
    deleteList: (listId) => control.deleteItem('microsoft', accountId, 'todoLists', listId),
    add: (title, todoListId) => control.addItem('microsoft', accountId, 'tasks', { title, todoListId }).id,
    rename: (taskId, title) => control.updateItem('microsoft', accountId, 'tasks', taskId, { title }),
    complete: (taskId) =>
      control.updateItem('microsoft', accountId, 'tasks', taskId, { status: 'completed' }),
    remove: (taskId) => control.deleteItem('microsoft', accountId, 'tasks', taskId),
    // Graph has no move: a task goes to another list as a delete and a create (docs/providers/microsoft.md).
    move: (taskId, title, todoListId) => {
      control.deleteItem('microsoft', accountId, 'tasks', taskId);
      return control.addItem('microsoft', accountId, 'tasks', { title, todoListId }).id;
    },
  };
};

it.each<Provider>(['google', 'microsoft'])(
  '%s: tasks appear; an edit, a completion, a delete, a move and a deleted list reach the CRM on the next rounds',
  async (provider) => {
    const email = `tasks-e2e-${provider}@example.com`;
    const account = h.sandbox.control.createAccount({ provider, email, sizes: { tasks: 12 } });
    const connectionId = await connectThroughApi(h, baseUrl, { provider, email, resources: ['tasks'] });
    const user = atProvider(provider, account.id);

    // The first round (asked for by the connection itself) brings every task.
    const first = await waitFor(
      async () => {
        const tasks = await readTasks(connectionId);
        return tasks.size === 12 && tasks;
      },
      { what: 'the first round of tasks', timeoutMs: 90_000, intervalMs: 250 },
    );
    const [edited, completed, deleted, moving] = [...first.entries()]
      .filter(([, task]) => task.status !== 'completed')
      .map(([id]) => id);

    user.rename(edited!, 'Renamed at the provider');
    user.complete(completed!);
    user.remove(deleted!);
    const errands = user.addList('Errands');
    const added = user.add('Call Ada', errands);
    const moved = user.move(moving!, first.get(moving!)!.title ?? 'untitled', errands);
    const after = await syncUntil(
      connectionId,
      'the edits to reach the CRM',
      (tasks) => tasks.has(added) && tasks.get(moved)?.listId === errands,
    );
    expect(after.get(edited!)).toMatchObject({ title: 'Renamed at the provider' });
    expect(after.get(completed!)).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
    expect(after.has(deleted!)).toBe(false);
    expect(after.get(added)).toMatchObject({ listId: errands, listTitle: 'Errands', title: 'Call Ada' });
    expect(after.get(moved)).toMatchObject({ listId: errands, title: first.get(moving!)!.title });
    if (moved !== moving) expect(after.has(moving!)).toBe(false);
    expect(after.size).toBe(12);

    // The list goes: its tasks go with it, the others stay.
    user.deleteList(errands);
    const last = await syncUntil(
      connectionId,
      'the deleted list to reach the CRM',
      (tasks) => !tasks.has(added) && !tasks.has(moved),
    );
    expect([...last.keys()].sort()).toEqual(
      [...after.keys()].filter((id) => id !== added && id !== moved).sort(),
    );
  },
);

it('a grant without the tasks scope disables tasks with the reason; the other resources sync', async () => {
  const email = 'tasks-e2e-no-scope@example.com';
  h.sandbox.control.createAccount({ provider: 'microsoft', email, sizes: { tasks: 3, contacts: 3 } });
  // The user unticks To Do on the consent page.
  h.sandbox.control.setAuthorize('microsoft', { withholdScopes: ['Tasks.Read'] });
  let connectionId: string;
  try {
    connectionId = await connectThroughApi(h, baseUrl, {
      provider: 'microsoft',
      email,
      resources: ['tasks', 'contacts'],
    });
  } finally {
    h.sandbox.control.setAuthorize('microsoft', { withholdScopes: [] });
  }
  const states = await waitFor(
    async () => {
      const sync = await syncStates(connectionId);
      return sync.some((s) => s.resource === 'contacts' && s.lastSuccessAt !== null) && sync;
    },
    { what: 'the contacts round', timeoutMs: 90_000 },
  );
  expect(states.find((s) => s.resource === 'tasks')).toMatchObject({
    enabled: false,
    status: 'disabled',
    lastSuccessAt: null,
    disabledReason: 'scopes not granted: Tasks.Read',
  });
  expect((await readTasks(connectionId)).size).toBe(0);
});
