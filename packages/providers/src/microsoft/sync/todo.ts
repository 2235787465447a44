import {
  ClassifiedProviderError,
  type ResourceSyncer,
  type SyncPage,
  type SyncRequest,
} from '@crm-sync/core';
import { type Client } from '@microsoft/microsoft-graph-client';
import type { TodoTask, TodoTaskList } from '@microsoft/microsoft-graph-types';
import { z } from 'zod';
import { guarded } from '../../shared/guard';
import { type GraphAccess } from '../client';
import { classifyMicrosoftError } from '../errors';
import { listTitle, mapTodoTask } from '../todoMap';
import { type DeltaOptions, onOrigin } from './delta';
import { idPageOf } from '../../shared/idPage';

/**
 * Microsoft To Do (`tasks` → `tasks`): the lists (`/me/todo/lists`), then each list's task delta
 * (`/me/todo/lists/{id}/tasks/delta`), one delta link per list kept in the cursor (docs/providers/microsoft.md#to-do-sync).
 * A list not seen before, or renamed (its rows carry the title), is read from a new delta round; a list gone since
 * takes its tasks with it unreported, so the incremental round hands over to a full one, whose sweep removes them.
 */
const list = z.strictObject({
  id: z.string().min(1),
  title: z.string().nullable(),
  /** Where this list's round starts: the last round's delta link, or null for a new delta round. */
  from: z.string().nullable(),
  /** The delta link this round ended the list with. */
  to: z.string().nullable(),
});
const continuationSchema = z.strictObject({
  full: z.boolean(),
  lists: z.array(list),
  index: z.number().int().nonnegative(),
  nextLink: z.string().nullable(),
});
type Continuation = z.infer<typeof continuationSchema>;
const cursorSchema = z.array(
  z.strictObject({ id: z.string(), title: z.string().nullable(), deltaLink: z.string() }),
);

interface DeltaBody {
  value?: unknown;
  '@odata.nextLink'?: unknown;
  '@odata.deltaLink'?: unknown;
}

export function createTodoSyncer(access: GraphAccess, options: DeltaOptions): ResourceSyncer<'tasks'> {
  const prefer = `odata.maxpagesize=${options.pageSize}`;
  return {
    resource: 'tasks',
    table: 'tasks',
    fetchPage: (request) =>
      guarded('microsoft', 'tasks delta', classifyMicrosoftError, async () => {
        const client = access.clientFor(request.accessToken, request.tally);
        const at = request.position.continuation
          ? parsed(continuationSchema, request.position.continuation)
          : await startRound(client, request, access.origin);
        return readPage(client, at, access.origin, prefer);
      }),
    // The audit's id pass is a full round's listing keeping only the ids (todoTask delta has no cheaper id listing).
    listIds: (request) =>
      guarded('microsoft', 'tasks id pass', classifyMicrosoftError, async () => {
        const client = access.clientFor(request.accessToken, request.tally);
        const full = { ...request, position: { mode: 'full' as const, cursor: null, continuation: null } };
        const at = request.continuation
          ? parsed(continuationSchema, request.continuation)
          : await startRound(client, full, access.origin);
        return idPageOf(await readPage(client, at, access.origin, prefer));
      }),
  };
}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw unusable('the stored position is not one this syncer wrote');
  return result.data;
}

async function startRound(client: Client, request: SyncRequest, origin: string): Promise<Continuation> {
  const { mode, cursor } = request.position;
  const previous = mode === 'incremental' && cursor ? parsed(cursorSchema, safeJson(cursor)) : undefined;
  const lists: TodoTaskList[] = [];
  let body = (await client.api('/me/todo/lists').get()) as {
    value?: TodoTaskList[];
    '@odata.nextLink'?: string;
  };
  for (;;) {
    lists.push(...(body.value ?? []));
    const next = body['@odata.nextLink'];
    if (typeof next !== 'string') break;
    body = (await client.api(onOrigin(next, origin)).get()) as typeof body;
  }
  const known = new Map(previous?.map((l) => [l.id, l]));
  if (previous && previous.some((l) => !lists.some((now) => now.id === l.id))) throw listGone();
  return {
    full: previous === undefined,
    lists: lists
      .filter((l): l is TodoTaskList & { id: string } => typeof l.id === 'string')
      .map((l) => {
        const before = known.get(l.id);
        const title = listTitle(l);
        return {
          id: l.id,
          title,
          from: before && before.title === title ? before.deltaLink : null,
          to: null,
        };
      }),
    index: 0,
    nextLink: null,
  };
}

async function readPage(
  client: Client,
  at: Continuation,
  origin: string,
  prefer: string,
): Promise<SyncPage<'tasks'>> {
  const current = at.lists[at.index];
  if (!current) return caughtUp(at, [], []);
  const link = at.nextLink ?? current.from;
  let body: DeltaBody;
  try {
    const api = link
      ? client.api(onOrigin(link, origin))
      : client.api(`/me/todo/lists/${encodeURIComponent(current.id)}/tasks/delta`);
    body = (await api.header('Prefer', prefer).get()) as DeltaBody;
  } catch (error) {
    // Deleted while the round was under way: a full round goes on without it (its sweep removes its rows); an
    // incremental one cannot report its tasks deleted, so it hands over to a full round.
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    if (!at.full) throw listGone();
    return advance(at, null, [], []);
  }
  if (!Array.isArray(body.value)) throw new TypeError('Graph delta page without a value array');
  const upserts = new Map<string, SyncPage<'tasks'>['upserts'][number]>();
  const deletes = new Set<string>();
  for (const entry of body.value as (TodoTask & { '@removed'?: unknown })[]) {
    if (typeof entry.id !== 'string') throw new TypeError('Graph delta entry without an id');
    // The last mention of an id on a page wins (Graph may list an item more than once).
    if ('@removed' in entry) {
      upserts.delete(entry.id);
      deletes.add(entry.id);
    } else {
      deletes.delete(entry.id);
      upserts.set(entry.id, mapTodoTask(entry, current));
    }
  }
  const page: [SyncPage<'tasks'>['upserts'], string[]] = [[...upserts.values()], [...deletes]];
  const nextLink = body['@odata.nextLink'];
  if (typeof nextLink === 'string')
    return { upserts: page[0], deletes: page[1], next: { kind: 'more', continuation: { ...at, nextLink } } };
  const deltaLink = body['@odata.deltaLink'];
  if (typeof deltaLink !== 'string') throw new TypeError('Graph delta page without a next or delta link');
  return advance(at, deltaLink, ...page);
}

function advance(
  at: Continuation,
  deltaLink: string | null,
  upserts: SyncPage<'tasks'>['upserts'],
  deletes: readonly string[],
): SyncPage<'tasks'> {
  const lists = at.lists.map((l, i) => (i === at.index ? { ...l, to: deltaLink } : l));
  const next = { ...at, lists, index: at.index + 1, nextLink: null };
  if (next.index >= lists.length) return caughtUp(next, upserts, deletes);
  return { upserts, deletes: [...deletes], next: { kind: 'more', continuation: next } };
}

function caughtUp(
  at: Continuation,
  upserts: SyncPage<'tasks'>['upserts'],
  deletes: readonly string[],
): SyncPage<'tasks'> {
  // A list that vanished during a full round has no delta link and is left out: the next round does not miss it.
  const cursor = at.lists.flatMap((l) => (l.to ? [{ id: l.id, title: l.title, deltaLink: l.to }] : []));
  return { upserts, deletes: [...deletes], next: { kind: 'caught_up', cursor: JSON.stringify(cursor) } };
}

const listGone = () => unusable('a To Do list was deleted');

function unusable(why: string): ClassifiedProviderError {
  return new ClassifiedProviderError(
    { kind: 'cursor_expired' },
    `microsoft tasks delta: ${why}; full resync`,
  );
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
