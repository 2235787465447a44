import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../../core/hooks';
import { type ResourceGenerator, type RouteMeta, type SandboxContext } from '../../../core/types';
import { deltaHandler, optionsQuery } from '../deltaRoute';
import { findFolder, mailFolderGenerator } from '../folders';
import { type MessageData } from '../generate';
import { receivedInScope } from '../queryOptions';
import { sendGraphError } from '../reply';
import { MESSAGE_PROPERTIES } from '../types';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'graph.messages.delta', auth: true, quotaUnits: 1 };

/**
 * `GET /v1.0/me/mailFolders/{id}/messages/delta`: one folder per round, by well-known name or id (folders.ts).
 * `$select`, `$top`, `$filter=receivedDateTime ge|gt` (at most `filterCap` messages a round) and
 * `$orderby=receivedDateTime desc` (docs/providers/microsoft.md#delta-endpoints). A token is bound to its folder; a
 * message moved out of the folder is reported `@removed` on the folder's next round, and as new in the other one's.
 */
export function registerMessagesDelta(
  app: FastifyInstance,
  ctx: SandboxContext,
  generator: ResourceGenerator<MessageData>,
  filterCap: number,
): void {
  const handlerFor = (folderId: string) =>
    deltaHandler(ctx, {
      generator,
      entity: 'message',
      scope: `messages:${folderId}`,
      initialQuery: optionsQuery({
        resource: 'Messages',
        select: true,
        top: true,
        receivedDateTime: true,
        filterCap,
        properties: { names: MESSAGE_PROPERTIES, type: 'microsoft.graph.message' },
      }),
      inScope: (item, query) =>
        item.data.parentFolderId === folderId &&
        receivedInScope(query, Date.parse(item.data.receivedDateTime)),
      wasInScope: (item) =>
        item.data.parentFolderId === folderId || (item.data.formerFolderIds ?? []).includes(folderId),
    });
  // One handler per folder id, made when the folder is first asked for (an account may add folders).
  const handlers = new Map<string, ReturnType<typeof handlerFor>>();
  app.get<{ Params: { folderId: string } }>(
    '/v1.0/me/mailFolders/:folderId/messages/delta',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const folder = findFolder(ctx.datasets.open(account, mailFolderGenerator), request.params.folderId);
      // A folder deleted since its delta link was minted is gone too: its link gets the same 404.
      if (folder === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      let handler = handlers.get(folder.id);
      if (handler === undefined) handlers.set(folder.id, (handler = handlerFor(folder.id)));
      return handler(request, reply);
    },
  );
}
