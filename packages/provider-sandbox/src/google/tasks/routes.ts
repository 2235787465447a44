import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type Account, type SandboxContext, type StoredItem } from '../../core/types';
import { openToken, queryFingerprint, sealToken, type GoogleCursor } from '../cursors';
import { badRequest, insufficientScope, invalidPageToken, notFound } from '../errors';
import { one, limit, pathParam } from '../params';
import { hasAnyScope, TASKS_READ_SCOPES } from '../scopes';
import { googleTaskLists, googleTasks, type TaskData } from './generate';
import { renderTask, renderTaskList } from './render';

const route = (routeId: string) => ({
  config: { sandbox: { provider: 'google' as const, routeId, auth: true } },
});

/** A page token continues only the query that returned it; `fields` is a system parameter. */
const NOT_IN_FINGERPRINT = ['pageToken', 'fields'];

/** The page token's ordinal, `null` on a first page, `undefined` when the token is not one this query issued. */
function startOrdinal(
  request: FastifyRequest,
  purpose: GoogleCursor,
  account: Account,
): number | null | undefined {
  const pageToken = one(request, 'pageToken');
  if (pageToken === undefined) return null;
  return openToken(purpose, account, pageToken, queryFingerprint(request, NOT_IN_FINGERPRINT))?.o;
}

function nextToken(
  request: FastifyRequest,
  purpose: GoogleCursor,
  account: Account,
  next: number | undefined,
) {
  if (next === undefined) return {};
  return {
    nextPageToken: sealToken(purpose, account, { o: next }, queryFingerprint(request, NOT_IN_FINGERPRINT)),
  };
}

/** RFC 3339 bound parameter, epoch ms; `undefined` when absent, NaN when malformed. */
function timeParam(request: FastifyRequest, key: string): number | undefined {
  const value = one(request, key);
  if (value === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? Date.parse(value)
    : NaN;
}

/**
 * Flags default as the REST reference says (https://developers.google.com/workspace/tasks/reference/rest/v1/tasks/list):
 * showCompleted true, showDeleted and showHidden false; anything but `true`/`false` is a bad request.
 */
function flag(request: FastifyRequest, key: string, fallback: boolean): boolean | undefined {
  const value = one(request, key);
  if (value === undefined) return fallback;
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/**
 * Google Tasks v1 on the sandbox's Google origin: tasklists.list and tasks.list with Google's paging (opaque tokens
 * bound to their query), `updatedMin`, `showCompleted`, `showDeleted`, `showHidden`, and the 404 of a deleted list.
 */
export function registerGoogleTasks(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/tasks/v1/users/@me/lists', route('tasks.tasklists.list'), async (request, reply) => {
    const auth = requireAuth(request);
    if (!hasAnyScope(auth, TASKS_READ_SCOPES)) return send(reply, insufficientScope());
    const after = startOrdinal(request, 'tasks.tasklists.pageToken', auth.account);
    if (after === undefined) return send(reply, invalidPageToken());
    const lists = ctx.datasets.open(auth.account, googleTaskLists);
    const page = lists.page({
      ...(after === null ? {} : { after }),
      limit: limit(request, 'maxResults', 1000, 1000),
      order: 'asc',
    });
    return {
      kind: 'tasks#taskLists',
      etag: `"${ctx.datasets.currentSeq(auth.account)}"`,
      ...nextToken(request, 'tasks.tasklists.pageToken', auth.account, page.nextOrdinal),
      items: page.items.map((item) => renderTaskList(ctx.urls.google, item)),
    };
  });

  app.get('/tasks/v1/lists/:tasklist/tasks', route('tasks.tasks.list'), async (request, reply) => {
    const auth = requireAuth(request);
    if (!hasAnyScope(auth, TASKS_READ_SCOPES)) return send(reply, insufficientScope());
    const listId = pathParam(request, 'tasklist');
    if (!ctx.datasets.open(auth.account, googleTaskLists).get(listId)) return send(reply, notFound());
    const updatedMin = timeParam(request, 'updatedMin');
    if (Number.isNaN(updatedMin))
      return send(reply, badRequest('Invalid value for: updatedMin', 'updatedMin'));
    const show = {
      completed: flag(request, 'showCompleted', true),
      deleted: flag(request, 'showDeleted', false),
      hidden: flag(request, 'showHidden', false),
    };
    for (const [key, value] of Object.entries(show)) {
      const name = `show${key[0]!.toUpperCase()}${key.slice(1)}`;
      if (value === undefined) return send(reply, badRequest(`Invalid value for: ${name}`, name));
    }
    const after = startOrdinal(request, 'tasks.tasks.pageToken', auth.account);
    if (after === undefined) return send(reply, invalidPageToken());
    const listed = (item: StoredItem<TaskData>) => {
      const t = item.data;
      return (
        t.listId === listId &&
        (show.deleted || !t.deleted) &&
        (show.hidden || !t.hidden) &&
        (show.completed || t.status !== 'completed') &&
        (updatedMin === undefined || t.updated >= updatedMin)
      );
    };
    const page = ctx.datasets.open(auth.account, googleTasks).page({
      ...(after === null ? {} : { after }),
      limit: limit(request, 'maxResults', 20, 100),
      order: 'asc',
      filter: listed,
    });
    return {
      kind: 'tasks#tasks',
      etag: `"${ctx.datasets.currentSeq(auth.account)}"`,
      ...nextToken(request, 'tasks.tasks.pageToken', auth.account, page.nextOrdinal),
      items: page.items.map((item) => renderTask(ctx.urls.google, item, item.ordinal)),
    };
  });
}
