import { type FastifyInstance } from 'fastify';
import { type ResourceGenerator, type RouteMeta, type SandboxContext } from '../../../core/types';
import { deltaHandler, optionsQuery } from '../deltaRoute';
import { findFolder, MAIL_FOLDERS } from '../folders';
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
  const handlers = new Map(
    MAIL_FOLDERS.map((folder) => [
      folder.id,
      deltaHandler(ctx, {
        generator,
        entity: 'message',
        scope: `messages:${folder.id}`,
        initialQuery: optionsQuery({
          resource: 'Messages',
          select: true,
          top: true,
          receivedDateTime: true,
          filterCap,
          properties: { names: MESSAGE_PROPERTIES, type: 'microsoft.graph.message' },
        }),
        inScope: (item, query) =>
          item.data.parentFolderId === folder.id &&
          receivedInScope(query, Date.parse(item.data.receivedDateTime)),
        wasInScope: (item) =>
          item.data.parentFolderId === folder.id || (item.data.formerFolderIds ?? []).includes(folder.id),
      }),
    ]),
  );
  app.get<{ Params: { folderId: string } }>(
    '/v1.0/me/mailFolders/:folderId/messages/delta',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const folder = findFolder(request.params.folderId);
      const handler = folder && handlers.get(folder.id);
      if (handler === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      return handler(request, reply);
    },
  );
}
