import { type FastifyInstance } from 'fastify';
import { type ResourceGenerator, type RouteMeta, type SandboxContext } from '../../../core/types';
import { deltaHandler, optionsQuery } from '../deltaRoute';
import { INBOX_FOLDER_ID, type MessageData } from '../generate';
import { receivedInScope } from '../queryOptions';
import { sendGraphError } from '../reply';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'graph.messages.delta', auth: true, quotaUnits: 1 };

/**
 * `GET /v1.0/me/mailFolders/{id}/messages/delta`: the inbox, by well-known name or id. `$select`, `$top`,
 * `$filter=receivedDateTime ge|gt` (at most `filterCap` messages a round) and `$orderby=receivedDateTime desc`
 * (docs/providers/microsoft.md#delta-endpoints).
 */
export function registerMessagesDelta(
  app: FastifyInstance,
  ctx: SandboxContext,
  generator: ResourceGenerator<MessageData>,
  filterCap: number,
): void {
  const handler = deltaHandler(ctx, {
    generator,
    entity: 'message',
    scope: 'messages:inbox',
    initialQuery: optionsQuery({
      resource: 'Messages',
      select: true,
      top: true,
      receivedDateTime: true,
      filterCap,
    }),
    inScope: (item, query) => receivedInScope(query, Date.parse(item.data.receivedDateTime)),
  });
  app.get<{ Params: { folderId: string } }>(
    '/v1.0/me/mailFolders/:folderId/messages/delta',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const folder = request.params.folderId;
      if (folder.toLowerCase() !== 'inbox' && folder !== INBOX_FOLDER_ID) {
        return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      }
      return handler(request, reply);
    },
  );
}
