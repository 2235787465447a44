import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../../core/hooks';
import { type RouteMeta, type SandboxContext } from '../../../core/types';
import { deltaHandler, optionsQuery } from '../deltaRoute';
import { sendGraphError } from '../reply';
import { todoLists, todoTasks } from '../todoItems';

const listsMeta: RouteMeta = {
  provider: 'microsoft',
  routeId: 'graph.todo.lists',
  auth: true,
  quotaUnits: 1,
};
const deltaMeta: RouteMeta = {
  provider: 'microsoft',
  routeId: 'graph.todo.tasks.delta',
  auth: true,
  quotaUnits: 1,
};

/** Either To Do permission lets a token read lists and tasks (https://learn.microsoft.com/graph/api/todotask-delta). */
const TASK_SCOPES = ['Tasks.Read', 'Tasks.ReadWrite'];

/**
 * Microsoft To Do: `GET /me/todo/lists` and each list's task delta (`/me/todo/lists/{id}/tasks/delta`), with the same
 * delta machinery (skip and delta tokens, `Prefer: odata.maxpagesize`, `@removed`) as the Outlook resources. A task in
 * a deleted list, or a list that is not there, is 404 `ErrorItemNotFound`; a token without a Tasks permission is 403.
 */
export function registerTodo(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/v1.0/me/todo/lists', { config: { sandbox: listsMeta } }, async (request, reply) => {
    const { account, scopes } = requireAuth(request);
    if (!scopes.some((s) => TASK_SCOPES.includes(s)))
      return sendGraphError(reply, ctx.clock, 'ErrorAccessDenied');
    const lists = ctx.datasets.open(account, todoLists);
    const items = lists.page({ limit: 1_000, order: 'asc' }).items;
    return {
      '@odata.context': `${ctx.urls.microsoft}/v1.0/$metadata#users('${account.id}')/todo/lists`,
      value: items.map((item) => ({
        '@odata.etag': `W/"${item.seq.toString(36)}"`,
        id: item.id,
        ...item.data,
      })),
    };
  });

  app.get<{ Params: { listId: string } }>(
    '/v1.0/me/todo/lists/:listId/tasks/delta',
    { config: { sandbox: deltaMeta } },
    async (request, reply) => {
      const { account, scopes } = requireAuth(request);
      if (!scopes.some((s) => TASK_SCOPES.includes(s)))
        return sendGraphError(reply, ctx.clock, 'ErrorAccessDenied');
      const { listId } = request.params;
      if (!ctx.datasets.open(account, todoLists).get(listId))
        return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      return deltaHandler(ctx, {
        generator: todoTasks,
        entity: 'todoTask',
        // A token of one list's delta is refused by another's.
        scope: `todo:${listId}`,
        initialQuery: optionsQuery({
          resource: 'Tasks',
          select: true,
          top: true,
          receivedDateTime: false,
          filterCap: 0,
        }),
        inScope: (item) => item.data.todoListId === listId,
        // Tasks never change lists (there is no move), so a change to another list's task is not this list's.
        wasInScope: () => false,
      })(request, reply);
    },
  );
}
