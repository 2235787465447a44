import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../../core/hooks';
import { type RouteMeta, type SandboxContext } from '../../../core/types';
import { decodeDeltaToken, encodeDeltaToken, type DeltaQuery } from '../deltaToken';
import { childFolders, findFolder, MAIL_FOLDERS, type MailFolder, topLevelFolders } from '../folders';
import { sendGraphError } from '../reply';
import { parseSelect, project } from '../select';

const meta = (routeId: string): RouteMeta => ({ provider: 'microsoft', routeId, auth: true, quotaUnits: 1 });
type Query = { $select?: string; $deltatoken?: string; $skiptoken?: string };

/**
 * Mail folders (https://learn.microsoft.com/graph/api/user-list-mailfolders,
 * https://learn.microsoft.com/graph/api/mailfolder-list-childfolders, https://learn.microsoft.com/graph/api/mailfolder-get,
 * https://learn.microsoft.com/graph/api/mailfolder-delta). The tree is fixed (folders.ts), so a mailFolders delta
 * round lists every folder of the hierarchy flat, and later rounds report no change.
 */
export function registerMailFolders(app: FastifyInstance, ctx: SandboxContext): void {
  const context = `${ctx.urls.microsoft}/v1.0/$metadata#users('me')/mailFolders`;
  const render = (folders: readonly MailFolder[], select: string | undefined) =>
    folders.map((f) => project({ '@odata.type': '#microsoft.graph.mailFolder', ...f }, parseSelect(select)));

  app.get<{ Querystring: Query }>(
    '/v1.0/me/mailFolders',
    { config: { sandbox: meta('graph.mailFolders.list') } },
    async (request) => {
      requireAuth(request);
      return { '@odata.context': context, value: render(topLevelFolders(), request.query.$select) };
    },
  );

  app.get<{ Querystring: Query }>(
    '/v1.0/me/mailFolders/delta',
    { config: { sandbox: meta('graph.mailFolders.delta') } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const token = request.query.$deltatoken;
      let query: DeltaQuery = {
        scope: 'mailFolders',
        accountId: account.id,
        select: parseSelect(request.query.$select),
        window: undefined,
      };
      if (token !== undefined) {
        const state = decodeDeltaToken(token);
        if (
          state === undefined ||
          state.query.accountId !== account.id ||
          state.query.scope !== 'mailFolders'
        )
          return sendGraphError(reply, ctx.clock, 'syncStateNotFound');
        query = state.query;
      }
      const self = `${ctx.urls.microsoft}/v1.0/me/mailFolders/delta`;
      return {
        '@odata.context': `${context}/$delta`,
        value: token === undefined ? render(MAIL_FOLDERS, query.select?.join(',')) : [],
        '@odata.deltaLink': `${self}?$deltatoken=${encodeDeltaToken({ query, since: 0 })}`,
      };
    },
  );

  app.get<{ Params: { folderId: string }; Querystring: Query }>(
    '/v1.0/me/mailFolders/:folderId',
    { config: { sandbox: meta('graph.mailFolders.get') } },
    async (request, reply) => {
      requireAuth(request);
      const folder = findFolder(request.params.folderId);
      if (folder === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      const [rendered] = render([folder], request.query.$select);
      return { '@odata.context': `${context}/$entity`, ...rendered };
    },
  );

  app.get<{ Params: { folderId: string }; Querystring: Query }>(
    '/v1.0/me/mailFolders/:folderId/childFolders',
    { config: { sandbox: meta('graph.mailFolders.children') } },
    async (request, reply) => {
      requireAuth(request);
      const folder = findFolder(request.params.folderId);
      if (folder === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      return { '@odata.context': context, value: render(childFolders(folder.id), request.query.$select) };
    },
  );
}
