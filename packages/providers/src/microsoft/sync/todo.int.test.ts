import { type ResourceSyncer, type TaskRecord } from '@crm-sync/core';
import { classificationOf, storedItems } from '../../../test/sandbox';
import {
  applyRounds,
  connectAccount,
  FULL,
  incremental,
  runRound,
  startGraphHarness,
  type GraphHarness,
} from '../../../test/microsoft/harness';

/** The fields of the sandbox's To Do task this test reads (provider-sandbox src/microsoft/graph/todoItems.ts). */
interface SandboxTask {
  title: string;
  status: string;
  todoListId: string;
}

let h: GraphHarness;
let main: Awaited<ReturnType<typeof connectAccount>>;
const syncer = () => h.adapter.sync!.tasks as ResourceSyncer<'tasks'>;
const options = () => ({ accessToken: main.accessToken, now: new Date(), initialWindowDays: 30 });
const control = () => h.sandbox.control;
const lists = () => storedItems<{ displayName: string }>(h.sandbox, main.account, 'todoLists');
const tasks = () => storedItems<SandboxTask>(h.sandbox, main.account, 'tasks');

function expectLanded(table: Map<string, TaskRecord>) {
  const titles = new Map(lists().map((l) => [l.id, l.data.displayName]));
  expect([...table.keys()].sort()).toEqual(
    tasks()
      .map((t) => t.id)
      .sort(),
  );
  for (const t of tasks()) {
    expect(table.get(t.id)).toMatchObject({
      listId: t.data.todoListId,
      listTitle: titles.get(t.data.todoListId),
      title: t.data.title,
      status: {
        notStarted: 'open',
        inProgress: 'in_progress',
        completed: 'completed',
        waitingOnOthers: 'waiting',
        deferred: 'deferred',
      }[t.data.status],
    });
  }
}

beforeAll(async () => {
  h = await startGraphHarness(20);
  main = await connectAccount(h, 'todo.owner@contoso.com', { tasks: 70 });
  const errands = control().addItem('microsoft', main.account.id, 'todoLists', { displayName: 'Errands' });
  control().addItem('microsoft', main.account.id, 'tasks', { title: 'Buy milk', todoListId: errands.id });
});
afterAll(() => h.close());
afterEach(() => control().clearFaults());

test('a full round reads every list through its delta and lands exactly the tasks', async () => {
  const round = await runRound(syncer(), FULL, options());
  expect(round.pages.length).toBeGreaterThanOrEqual(5);
  expectLanded(applyRounds([round]));
  const cursor = JSON.parse(round.cursor) as { deltaLink: string }[];
  expect(cursor).toHaveLength(2);
  for (const { deltaLink } of cursor)
    expect(deltaLink.startsWith(`${h.sandbox.urls.microsoft}/v1.0/`)).toBe(true);
  expect(JSON.stringify([round.continuations, round.cursor])).not.toContain(main.accessToken);
});

test('incremental rounds: added, completed, deleted and moved (delete + add) tasks, a new and a renamed list', async () => {
  const full = await runRound(syncer(), FULL, options());
  const [completed, deleted, moved] = tasks().map((t) => t.id);
  const errands = lists()[1]!;
  control().updateItem('microsoft', main.account.id, 'tasks', completed!, { status: 'completed' });
  control().deleteItem('microsoft', main.account.id, 'tasks', deleted!);
  // Graph has no move: the To Do app's move is a deletion in one list and a new task in the other.
  const movedTitle = tasks().find((t) => t.id === moved)!.data.title;
  control().deleteItem('microsoft', main.account.id, 'tasks', moved!);
  const movedTo = control().addItem('microsoft', main.account.id, 'tasks', {
    title: movedTitle,
    todoListId: errands.id,
  });
  const later = control().addItem('microsoft', main.account.id, 'todoLists', { displayName: 'Later' });
  const inLater = control().addItem('microsoft', main.account.id, 'tasks', { todoListId: later.id });
  control().updateItem('microsoft', main.account.id, 'todoLists', errands.id, {
    displayName: 'Errands (home)',
  });

  const next = await runRound(syncer(), incremental(full.cursor), options());
  expect(new Set(next.deletes)).toEqual(new Set([deleted, moved]));
  const table = applyRounds([full, next]);
  expectLanded(table);
  expect(table.get(movedTo.id)).toMatchObject({
    listId: errands.id,
    listTitle: 'Errands (home)',
    title: movedTitle,
  });
  expect(table.get(inLater.id)).toMatchObject({ listId: later.id, listTitle: 'Later' });
  expect(table.get(completed!)).toMatchObject({ status: 'completed', completedAt: expect.any(Date) });

  const quiet = await runRound(syncer(), incremental(next.cursor), options());
  expect([quiet.upserts, quiet.deletes]).toEqual([[], []]);
});

test('a deleted list or an unreadable cursor is cursor_expired', async () => {
  const full = await runRound(syncer(), FULL, options());
  const doomed = control().addItem('microsoft', main.account.id, 'todoLists', { displayName: 'Doomed' });
  const withDoomed = await runRound(syncer(), incremental(full.cursor), options());
  control().deleteItem('microsoft', main.account.id, 'todoLists', doomed.id);
  for (const position of [incremental(withDoomed.cursor), incremental('not json')]) {
    expect(await classificationOf(syncer().fetchPage({ ...options(), position }))).toEqual({
      kind: 'cursor_expired',
    });
  }
});

test('a 503 from the task delta is transient', async () => {
  control().addFault({
    provider: 'microsoft',
    route: 'graph.todo.*',
    accountId: main.account.id,
    action: { kind: 'status', status: 503 },
    next: 1,
  });
  expect(await classificationOf(syncer().fetchPage({ ...options(), position: FULL }))).toMatchObject({
    kind: 'transient',
  });
});
