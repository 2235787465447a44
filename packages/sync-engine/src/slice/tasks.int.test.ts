import { createConnectionsHarness, openRows, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { syncStates } from '@crm-sync/sync-states';
import { connectSandboxAccount, engineDeps, syncUntilCaughtUp } from '../../test';

// Issue 23, tasks: the engine syncs Google Tasks and Microsoft To Do through the official clients against the sandbox;
// each change a user makes at the provider shows in the `tasks` rows after the next incremental round.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

interface TaskRow {
  external_id: string;
  list_id: string;
  list_title: string | null;
  title: string | null;
  status: string;
  completed: boolean;
  deleted: boolean;
}

/** The connection's task rows by external id, their sealed title opened (docs/encryption-at-rest.md). */
async function rowsOf(connectionId: string): Promise<Map<string, TaskRow>> {
  const rows = await openRows(h.db.dataSource, h.deps.content, 'tasks', 'connection_id = $1', [connectionId]);
  return new Map(
    rows.map((r) => [
      String(r.external_id),
      {
        external_id: String(r.external_id),
        list_id: String(r.list_id),
        list_title: (r.list_title ?? null) as string | null,
        title: (r.title ?? null) as string | null,
        status: String(r.status),
        completed: r.completed_at !== null,
        deleted: r.deleted_at !== null,
      },
    ]),
  );
}

test('google: tasks added, completed, deleted and moved between lists are right after incremental rounds', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'tasks-engine@example.com',
    sizes: { tasks: 30 },
    resources: ['tasks'],
  });
  const deps = engineDeps(h);
  const control = h.sandbox.control;
  const rows = () => rowsOf(connectionId);
  const incremental = async () => {
    await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['tasks'], full: false });
    expect(await syncUntilCaughtUp(deps, connectionId, 'tasks')).toBe('incremental');
  };

  expect(await syncUntilCaughtUp(deps, connectionId, 'tasks')).toBe('full');
  const synced = await rows();
  expect(synced.size).toBe(30);
  const [open, toDelete, toMove] = [...synced.values()]
    .filter((r) => r.status === 'open')
    .map((r) => r.external_id);
  const myTasks = synced.get(open!)!.list_id;

  const errands = control.addItem('google', account.id, 'tasklists', { title: 'Errands' });
  const added = control.addItem('google', account.id, 'tasks', { title: 'Call Ada', listId: errands.id });
  control.updateItem('google', account.id, 'tasks', open!, { completed: true });
  control.updateItem('google', account.id, 'tasks', toDelete!, { deleted: true });
  control.updateItem('google', account.id, 'tasks', toMove!, { listId: errands.id });
  await incremental();

  const after = await rows();
  expect(after.get(added.id)).toMatchObject({
    list_id: errands.id,
    list_title: 'Errands',
    title: 'Call Ada',
    status: 'open',
    deleted: false,
  });
  expect(after.get(open!)).toMatchObject({ status: 'completed', completed: true, deleted: false });
  expect(after.get(toDelete!)).toMatchObject({ deleted: true });
  // Google keeps a moved task's id (the sandbox does; docs/providers/google.md#tasks-sync): one row, new list.
  expect(after.get(toMove!)).toMatchObject({ list_id: errands.id, list_title: 'Errands', deleted: false });
  expect([...after.values()].filter((r) => !r.deleted)).toHaveLength(30);

  // Back again, then the list goes: the incremental round hands over to a full one, which removes its tasks.
  control.updateItem('google', account.id, 'tasks', toMove!, { listId: myTasks });
  await incremental();
  expect((await rows()).get(toMove!)).toMatchObject({ list_id: myTasks, list_title: 'My Tasks' });
  control.deleteItem('google', account.id, 'tasklists', errands.id);
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['tasks'], full: false });
  expect(await syncUntilCaughtUp(deps, connectionId, 'tasks')).toBe('full');
  const last = await rows();
  expect(last.get(added.id)).toMatchObject({ deleted: true });
  expect(last.get(toMove!)).toMatchObject({ deleted: false });
});

test('microsoft: tasks added, completed, deleted and moved between lists are right after incremental rounds', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'microsoft',
    email: 'todo-engine@example.com',
    sizes: { tasks: 30 },
    resources: ['tasks'],
  });
  const deps = engineDeps(h);
  const control = h.sandbox.control;
  const incremental = async () => {
    await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['tasks'], full: false });
    expect(await syncUntilCaughtUp(deps, connectionId, 'tasks')).toBe('incremental');
  };
  expect(await syncUntilCaughtUp(deps, connectionId, 'tasks')).toBe('full');
  const synced = await rowsOf(connectionId);
  expect(synced.size).toBe(30);
  const [open, toDelete, toMove] = [...synced.values()]
    .filter((r) => r.status !== 'completed')
    .map((r) => r.external_id);

  const errands = control.addItem('microsoft', account.id, 'todoLists', { displayName: 'Errands' });
  const added = control.addItem('microsoft', account.id, 'tasks', {
    title: 'Call Ada',
    todoListId: errands.id,
  });
  control.updateItem('microsoft', account.id, 'tasks', open!, { status: 'completed' });
  control.deleteItem('microsoft', account.id, 'tasks', toDelete!);
  // Graph has no move: a task moved in the To Do app is deleted in its list and created in the other
  // (docs/providers/microsoft.md#to-do-sync), so the row of the old id goes and a new row comes.
  control.deleteItem('microsoft', account.id, 'tasks', toMove!);
  const moved = control.addItem('microsoft', account.id, 'tasks', {
    title: synced.get(toMove!)!.title,
    todoListId: errands.id,
  });
  await incremental();

  const after = await rowsOf(connectionId);
  expect(after.get(added.id)).toMatchObject({
    list_id: errands.id,
    list_title: 'Errands',
    title: 'Call Ada',
    deleted: false,
  });
  expect(after.get(open!)).toMatchObject({ status: 'completed', completed: true, deleted: false });
  expect(after.get(toDelete!)).toMatchObject({ deleted: true });
  expect(after.get(toMove!)).toMatchObject({ deleted: true });
  expect(after.get(moved.id)).toMatchObject({
    list_id: errands.id,
    title: synced.get(toMove!)!.title,
    deleted: false,
  });
  expect([...after.values()].filter((r) => !r.deleted)).toHaveLength(30);

  control.deleteItem('microsoft', account.id, 'todoLists', errands.id);
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['tasks'], full: false });
  expect(await syncUntilCaughtUp(deps, connectionId, 'tasks')).toBe('full');
  expect((await rowsOf(connectionId)).get(added.id)).toMatchObject({ deleted: true });
});
