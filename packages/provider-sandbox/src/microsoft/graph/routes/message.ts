import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../../core/hooks';
import { type ResourceGenerator, type RouteMeta, type SandboxContext } from '../../../core/types';
import { mailFolderGenerator } from '../folders';
import { type MessageData } from '../generate';
import { parsePrefer } from '../prefer';
import { renderItem, storedIdOf } from '../render';
import { sendGraphError } from '../reply';
import { parseSelect, project, unknownSelected } from '../select';
import { MESSAGE_PROPERTIES } from '../types';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'graph.messages.get', auth: true, quotaUnits: 1 };

/**
 * `GET /v1.0/me/messages/{id}` (https://learn.microsoft.com/graph/api/message-get): one message wherever it is
 * filed, by regular or immutable id, with `$select`; 404 `ErrorItemNotFound` once it (or its folder) is deleted.
 */
export function registerMessageGet(
  app: FastifyInstance,
  ctx: SandboxContext,
  generator: ResourceGenerator<MessageData>,
): void {
  app.get<{ Params: { id: string }; Querystring: { $select?: string } }>(
    '/v1.0/me/messages/:id',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const select = parseSelect(request.query.$select);
      const unknown = unknownSelected(select, MESSAGE_PROPERTIES);
      if (unknown !== undefined)
        return sendGraphError(reply, ctx.clock, 'RequestBroker--ParseUri', {
          message: `Could not find a property named '${unknown}' on type 'microsoft.graph.message'.`,
        });
      const stored = ctx.datasets.open(account, generator).get(storedIdOf(request.params.id));
      // A folder deleted for good takes its messages with it (docs/providers/microsoft.md#mail-folders).
      const folders = ctx.datasets.open(account, mailFolderGenerator);
      if (stored === undefined || folders.get(stored.data.parentFolderId) === undefined)
        return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      const item = renderItem(stored, parsePrefer(request.headers.prefer), '#microsoft.graph.message');
      return {
        '@odata.context': `${ctx.urls.microsoft}/v1.0/$metadata#users('me')/messages/$entity`,
        ...project(item, select),
      };
    },
  );
}
