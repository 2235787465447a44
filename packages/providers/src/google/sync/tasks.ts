import {
  ClassifiedProviderError,
  type ResourceSyncer,
  type SyncPage,
  type SyncRequest,
} from '@crm-sync/core';
import { z } from 'zod';
import { guarded } from '../../shared/guard';
import { googleApisFor, type GoogleApiOptions, type GoogleApis } from '../client';
import { classifyGoogleError } from '../errors';
import { isDeletedTask, mapTask } from '../taskMap';
import { unreadable } from './continuation';
import { idPageOf } from '../../shared/idPage';

/**
 * Tasks has no sync token: a round lists the task lists, then each list's tasks; an incremental round asks each list
 * it already read for what changed since the last round began (`updatedMin`, with `showDeleted` for deletions), and
 * reads lists it has not seen (or that were renamed) whole (docs/providers/google.md#tasks-sync). `updatedMin` is
 * compared with Google's clock, not ours, so each round starts this much before our `now`: the overlap re-reads a few
 * minutes of changes, which the content hash makes cheap.
 */
const CLOCK_OVERLAP_MS = 5 * 60_000;

const list = z.strictObject({
  id: z.string().min(1),
  title: z.string().nullable(),
  /** Read whole (new since the last round, renamed, or a full round), else only its changes since `since`. */
  whole: z.boolean(),
});

/** Where a round is: the lists it found on its first page, the one it is reading and that list's page token. */
const continuationSchema = z.strictObject({
  since: z.string().nullable(),
  startedAt: z.string(),
  lists: z.array(list),
  index: z.number().int().nonnegative(),
  pageToken: z.string().nullable(),
});
type Continuation = z.infer<typeof continuationSchema>;

/** The next round's start: when this one began, and which lists it read (a list gone since was deleted). */
const cursorSchema = z.strictObject({ since: z.string(), lists: z.array(z.string()) });

export interface TasksSyncOptions {
  pageSize: number;
  listsPageSize: number;
}

/** Google Tasks (`tasks` → `tasks`): tasklists.list, then tasks.list per list. */
export function createTasksSyncer(api: GoogleApiOptions, options: TasksSyncOptions): ResourceSyncer<'tasks'> {
  return {
    resource: 'tasks',
    table: 'tasks',
    fetchPage: (request) =>
      guarded('google', 'tasks sync', classifyGoogleError, async () => {
        const apis = googleApisFor(request.accessToken, api, request.tally);
        const at = request.position.continuation
          ? parsed(continuationSchema, request.position.continuation)
          : await startRound(apis, request, options);
        return readPage(apis, at, options);
      }),
    // The audit's id pass is a full round's listing keeping only the ids: Tasks has no cheaper id-only listing than
    // tasks.list, whose pages the round reads anyway.
    listIds: (request) =>
      guarded('google', 'tasks id pass', classifyGoogleError, async () => {
        const apis = googleApisFor(request.accessToken, api, request.tally);
        const at = request.continuation
          ? parsed(continuationSchema, request.continuation)
          : await startRound(
              apis,
              { ...request, position: { mode: 'full', cursor: null, continuation: null } },
              options,
            );
        return idPageOf(await readPage(apis, at, options));
      }),
  };
}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw unreadable('tasks');
  return result.data;
}

async function startRound(
  apis: GoogleApis,
  request: SyncRequest,
  options: TasksSyncOptions,
): Promise<Continuation> {
  const { mode, cursor } = request.position;
  const previous = mode === 'incremental' && cursor ? parsed(cursorSchema, safeJson(cursor)) : undefined;
  const startedAt = new Date(request.now.getTime() - CLOCK_OVERLAP_MS).toISOString();
  const lists = await allLists(apis, options.listsPageSize);
  if (previous) {
    const now = new Set(lists.map((l) => l.id));
    // A deleted list takes its tasks with it and Google reports none of them: only a full round, which sweeps what
    // it did not list, removes their rows.
    if (previous.lists.some((id) => !now.has(id))) throw listGone();
  }
  const since = previous?.since ?? null;
  return {
    since,
    startedAt,
    lists: lists.map((l) => ({
      id: l.id,
      title: l.title,
      whole:
        since === null ||
        !previous?.lists.includes(l.id) ||
        (l.updated !== null && l.updated >= Date.parse(since)),
    })),
    index: 0,
    pageToken: null,
  };
}

async function allLists(apis: GoogleApis, pageSize: number) {
  const lists: { id: string; title: string | null; updated: number | null }[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await apis.tasks.tasklists.list({
      maxResults: pageSize,
      ...(pageToken ? { pageToken } : {}),
    });
    for (const item of data.items ?? []) {
      if (!item.id) continue;
      const updated = item.updated ? Date.parse(item.updated) : NaN;
      lists.push({ id: item.id, title: item.title ?? null, updated: Number.isNaN(updated) ? null : updated });
    }
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return lists;
}

async function readPage(
  apis: GoogleApis,
  at: Continuation,
  options: TasksSyncOptions,
): Promise<SyncPage<'tasks'>> {
  const current = at.lists[at.index];
  if (!current) return caughtUp(at, [], []);
  const changesOnly = !current.whole && at.since !== null;
  let data;
  try {
    ({ data } = await apis.tasks.tasks.list({
      tasklist: current.id,
      maxResults: options.pageSize,
      showCompleted: true,
      // Completed tasks the user cleared are hidden, not gone: they stay rows (with their completion).
      showHidden: true,
      // An incremental round reports deletions, also in a known list it reads whole (renamed since).
      ...(at.since === null ? {} : { showDeleted: true }),
      ...(changesOnly && at.since !== null ? { updatedMin: at.since } : {}),
      ...(at.pageToken ? { pageToken: at.pageToken } : {}),
    }));
  } catch (error) {
    // Deleted while the round was under way: a full round goes on without it (its sweep removes the list's rows);
    // an incremental one cannot report the list's tasks deleted, so it hands over to a full round.
    if (classifyGoogleError(error).kind !== 'permanent' || !isNotFound(error)) throw error;
    if (at.since !== null) throw listGone();
    return advance(at, [], []);
  }
  const upserts = [];
  const deletes = [];
  for (const task of data.items ?? []) {
    if (isDeletedTask(task)) {
      if (task.id) deletes.push(task.id);
    } else upserts.push(mapTask(task, current));
  }
  if (data.nextPageToken) {
    return {
      upserts,
      deletes,
      next: { kind: 'more', continuation: { ...at, pageToken: data.nextPageToken } },
    };
  }
  return advance(at, upserts, deletes);
}

function advance(
  at: Continuation,
  upserts: SyncPage<'tasks'>['upserts'],
  deletes: string[],
): SyncPage<'tasks'> {
  if (at.index + 1 >= at.lists.length) return caughtUp(at, upserts, deletes);
  return {
    upserts,
    deletes,
    next: { kind: 'more', continuation: { ...at, index: at.index + 1, pageToken: null } },
  };
}

function caughtUp(
  at: Continuation,
  upserts: SyncPage<'tasks'>['upserts'],
  deletes: string[],
): SyncPage<'tasks'> {
  const cursor = JSON.stringify({ since: at.startedAt, lists: at.lists.map((l) => l.id) });
  return { upserts, deletes, next: { kind: 'caught_up', cursor } };
}

const listGone = () =>
  new ClassifiedProviderError({ kind: 'cursor_expired' }, 'google tasks sync: a task list was deleted');

function isNotFound(error: unknown): boolean {
  return (error as { response?: { status?: number } }).response?.status === 404;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
