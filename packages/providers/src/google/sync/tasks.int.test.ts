import { type GoogleTaskData as TaskData } from '@crm-sync/provider-sandbox';
import { type ResourceSyncer, type TaskRecord } from '@crm-sync/core';
import { classificationOf } from '../../../test/sandbox';
import {
  applyRounds,
  connectAccount,
  FULL,
  incremental,
  runRound,
  sandboxItems,
  startGoogleHarness,
  type Connected,
  type GoogleHarness,
} from '../../../test/google/harness';

let h: GoogleHarness;
let main: Connected;
const syncer = () => h.adapter.sync!.tasks as ResourceSyncer<'tasks'>;
const options = () => ({ accessToken: main.accessToken, now: new Date(), initialWindowDays: 30 });
const control = () => h.sandbox.control;
const listsOf = () => sandboxItems<{ title: string }>(h, main.account, 'tasklists');
/** The sandbox's live tasks, deleted ones (kept by Google with `deleted: true`) left out. */
const liveTasks = () => sandboxItems<TaskData>(h, main.account, 'tasks').filter((t) => !t.data.deleted);

/** The table holds exactly the sandbox's live tasks, each in its list. */
function expectLanded(table: Map<string, TaskRecord>) {
  const tasks = liveTasks();
  const titles = new Map(listsOf().map((l) => [l.id, l.data.title]));
  expect([...table.keys()].sort()).toEqual(tasks.map((t) => t.id).sort());
  expect(tasks.map((t) => table.get(t.id))).toEqual(
    tasks.map((t) =>
      expect.objectContaining({
        listId: t.data.listId,
        listTitle: titles.get(t.data.listId),
        title: t.data.title,
        notes: t.data.notes,
        status: t.data.status === 'completed' ? 'completed' : 'open',
        dueAt: t.data.due === null ? null : new Date(t.data.due),
        completedAt: t.data.completed === null ? null : new Date(t.data.completed),
      }),
    ),
  );
}

beforeAll(async () => {
  h = await startGoogleHarness({ tasksPageSize: 25, taskListsPageSize: 2 });
  main = await connectAccount(h, 'tasks.owner@example.com', { tasks: 120 });
  control().addItem('google', main.account.id, 'tasklists', { title: 'Errands' });
  control().addItem('google', main.account.id, 'tasklists', { title: 'Empty' });
  control().addItem('google', main.account.id, 'tasks', { listId: listsOf()[1]!.id, title: 'Buy milk' });
});
afterAll(() => h.close());
afterEach(() => control().clearFaults());

test('a full round reads every list, resumes from stored continuations and lands exactly the tasks', async () => {
  const round = await runRound(syncer(), FULL, options());
  expect(round.pages.length).toBeGreaterThan(5);
  expect(round.deletes).toEqual([]);
  expectLanded(applyRounds([round]));
  expect(JSON.stringify([round.continuations, round.cursor])).not.toContain(main.accessToken);
});

test('incremental rounds: added, completed, edited, deleted, hidden and moved tasks; lists added and renamed', async () => {
  const full = await runRound(syncer(), FULL, options());
  const [completed, deleted, hidden, moved, edited] = liveTasks().map((t) => t.id);
  const errands = listsOf()[1]!;
  control().updateItem('google', main.account.id, 'tasks', completed!, { completed: true });
  control().updateItem('google', main.account.id, 'tasks', deleted!, { deleted: true });
  control().updateItem('google', main.account.id, 'tasks', hidden!, { completed: true, hidden: true });
  control().updateItem('google', main.account.id, 'tasks', moved!, { listId: errands.id });
  control().updateItem('google', main.account.id, 'tasks', edited!, { notes: 'call first' });
  const added = control().addItem('google', main.account.id, 'tasks', { title: 'Call Ada' });
  const newList = control().addItem('google', main.account.id, 'tasklists', { title: 'Later' });
  const inNewList = control().addItem('google', main.account.id, 'tasks', { listId: newList.id });
  control().updateItem('google', main.account.id, 'tasklists', errands.id, { title: 'Errands (home)' });

  const next = await runRound(syncer(), incremental(full.cursor), options());
  expect(next.deletes).toEqual([deleted]);
  // Only what changed, plus the renamed list's tasks (read whole for their new list title).
  expect(new Set(next.upserts.map((r) => r.externalId))).toEqual(
    new Set([
      completed,
      hidden,
      moved,
      edited,
      added.id,
      inNewList.id,
      ...liveTasks()
        .filter((t) => t.data.listId === errands.id)
        .map((t) => t.id),
    ]),
  );
  const table = applyRounds([full, next]);
  expectLanded(table);
  expect(table.get(moved!)).toMatchObject({ listId: errands.id, listTitle: 'Errands (home)' });
  expect(table.get(hidden!)).toMatchObject({ status: 'completed' });
});

test('a deleted task list makes the incremental round cursor_expired; the full round then leaves out its tasks', async () => {
  const full = await runRound(syncer(), FULL, options());
  const doomed = control().addItem('google', main.account.id, 'tasklists', { title: 'Doomed' });
  control().addItem('google', main.account.id, 'tasks', { listId: doomed.id });
  const withDoomed = await runRound(syncer(), incremental(full.cursor), options());
  control().deleteItem('google', main.account.id, 'tasklists', doomed.id);
  expect(
    await classificationOf(syncer().fetchPage({ ...options(), position: incremental(withDoomed.cursor) })),
  ).toEqual({ kind: 'cursor_expired' });
  const again = await runRound(syncer(), FULL, options());
  const listed = new Set(again.upserts.map((r) => r.listId));
  expect(listed.has(doomed.id)).toBe(false);
});

test('an unreadable cursor or continuation is cursor_expired', async () => {
  for (const position of [
    incremental('not json'),
    { mode: 'full' as const, cursor: null, continuation: { index: 'x' } },
  ]) {
    expect(await classificationOf(syncer().fetchPage({ ...options(), position }))).toEqual({
      kind: 'cursor_expired',
    });
  }
});

test.each([
  [{ status: 429 } as const, { kind: 'rate_limited', retryAfterMs: 10_000, guessed: true }],
  [{ status: 503 } as const, { kind: 'transient', reason: 'http 503' }],
])('a %j answer is classified as %j', async (fault, expected) => {
  control().addFault({
    provider: 'google',
    route: 'tasks.*',
    accountId: main.account.id,
    action: { kind: 'status', ...fault },
    next: 1,
  });
  expect(await classificationOf(syncer().fetchPage({ ...options(), position: FULL }))).toEqual(expected);
});

test('a token without the tasks scope: permanent insufficientPermissions', async () => {
  control().setAuthorize('google', { withholdScopes: ['https://www.googleapis.com/auth/tasks.readonly'] });
  const other = await connectAccount(h, 'no.tasks@example.com', { tasks: 2 });
  control().setAuthorize('google', { withholdScopes: [] });
  expect(
    await classificationOf(
      syncer().fetchPage({ ...options(), accessToken: other.accessToken, position: FULL }),
    ),
  ).toEqual({ kind: 'permanent', reason: 'http 403 insufficientPermissions' });
});
