import { type FastifyInstance } from 'fastify';
import { type ResourceGenerator, type RouteMeta, type SandboxContext } from '../../../core/types';
import { deltaHandler, selectOnlyQuery } from '../deltaRoute';
import { INBOX_FOLDER_ID, type MessageData } from '../generate';
import { sendGraphError } from '../reply';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'graph.messages.delta', auth: true, quotaUnits: 1 };

/** `GET /v1.0/me/mailFolders/{id}/messages/delta`: the inbox, by well-known name or id. */
export function registerMessagesDelta(
  app: FastifyInstance,
  ctx: SandboxContext,
  generator: ResourceGenerator<MessageData>,
): void {
  const handler = deltaHandler(ctx, {
    generator,
    entity: 'message',
    scope: 'messages:inbox',
    initialQuery: selectOnlyQuery,
    inScope: () => true,
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
