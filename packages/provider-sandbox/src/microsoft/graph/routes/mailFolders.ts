import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../../core/hooks';
import { type Account, type RouteMeta, type SandboxContext } from '../../../core/types';
import { deltaPage } from '../delta';
import {
  type DeltaCursor,
  type DeltaQuery,
  decodeDeltaToken,
  decodeSkipToken,
  encodeDeltaToken,
  encodeSkipToken,
} from '../deltaToken';
import { findFolder, liveFolders, mailFolderGenerator, type MailFolder, ROOT_FOLDER_ID } from '../folders';
import { parsePrefer } from '../prefer';
import { renderRemoved } from '../render';
import { sendGraphError } from '../reply';
import { parseSelect, project } from '../select';

const meta = (routeId: string): RouteMeta => ({ provider: 'microsoft', routeId, auth: true, quotaUnits: 1 });
type Query = { $select?: string; $deltatoken?: string; $skiptoken?: string };
const FOLDER_TYPE = '#microsoft.graph.mailFolder';

/**
 * Mail folders (https://learn.microsoft.com/graph/api/user-list-mailfolders,
 * https://learn.microsoft.com/graph/api/mailfolder-list-childfolders, https://learn.microsoft.com/graph/api/mailfolder-get,
 * https://learn.microsoft.com/graph/api/mailfolder-delta) of each account's folder tree (folders.ts). A mailFolders
 * delta round lists the whole hierarchy flat; a round from its delta link reports the folders added, renamed or
 * moved since (whole, with their `parentFolderId`) and the ones deleted (`@removed`), as Graph's delta does
 * (docs/providers/microsoft.md#mail-folders).
 */
export function registerMailFolders(app: FastifyInstance, ctx: SandboxContext): void {
  const context = `${ctx.urls.microsoft}/v1.0/$metadata#users('me')/mailFolders`;
  const folders = (account: Account) => ctx.datasets.open(account, mailFolderGenerator);
  const render = (list: readonly MailFolder[], select: string[] | undefined) =>
    list.map((f) => project({ '@odata.type': FOLDER_TYPE, ...f }, select));

  app.get<{ Querystring: Query }>(
    '/v1.0/me/mailFolders',
    { config: { sandbox: meta('graph.mailFolders.list') } },
    async (request) => {
      const { account } = requireAuth(request);
      const top = liveFolders(folders(account)).filter((f) => f.parentFolderId === ROOT_FOLDER_ID);
      return { '@odata.context': context, value: render(top, parseSelect(request.query.$select)) };
    },
  );

  app.get<{ Querystring: Query }>(
    '/v1.0/me/mailFolders/delta',
    { config: { sandbox: meta('graph.mailFolders.delta') } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const resolved = resolveCursor(request.query, account, ctx.datasets.currentSeq(account));
      if (resolved === undefined) return sendGraphError(reply, ctx.clock, 'syncStateNotFound');
      const prefs = parsePrefer(request.headers.prefer);
      // Without `odata.maxpagesize` a mailbox's folders come in one page.
      const dataset = folders(account);
      const step = deltaPage(dataset, resolved.query, resolved.cursor, {
        pageSize: prefs.maxPageSize ?? Number.MAX_SAFE_INTEGER,
        inScope: () => true,
      });
      const self = `${ctx.urls.microsoft}/v1.0/me/mailFolders/delta`;
      if (!step.ok)
        return sendGraphError(
          reply,
          ctx.clock,
          step.reason === 'expired' ? 'syncStateNotFound' : 'resyncRequired',
          { headers: { location: `${self}?$deltatoken=` } },
        );
      const live = new Map(liveFolders(dataset).map((f) => [f.id, f]));
      const value = step.entries.flatMap((entry) => {
        if (entry.kind === 'removed') return [renderRemoved(entry.id, FOLDER_TYPE, prefs)];
        const folder = live.get(entry.item.id);
        return folder ? render([folder], resolved.query.select) : [];
      });
      const { query } = resolved;
      const link =
        'cursor' in step.next
          ? {
              '@odata.nextLink': `${self}?$skiptoken=${encodeSkipToken({ query, cursor: step.next.cursor })}`,
            }
          : {
              '@odata.deltaLink': `${self}?$deltatoken=${encodeDeltaToken({ query, since: step.next.deltaSince })}`,
            };
      return { '@odata.context': `${context}/$delta`, value, ...link };
    },
  );

  app.get<{ Params: { folderId: string }; Querystring: Query }>(
    '/v1.0/me/mailFolders/:folderId',
    { config: { sandbox: meta('graph.mailFolders.get') } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const folder = findFolder(folders(account), request.params.folderId);
      if (folder === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      const [rendered] = render([folder], parseSelect(request.query.$select));
      return { '@odata.context': `${context}/$entity`, ...rendered };
    },
  );

  app.get<{ Params: { folderId: string }; Querystring: Query }>(
    '/v1.0/me/mailFolders/:folderId/childFolders',
    { config: { sandbox: meta('graph.mailFolders.children') } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const dataset = folders(account);
      const folder = findFolder(dataset, request.params.folderId);
      if (folder === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      const children = liveFolders(dataset).filter((f) => f.parentFolderId === folder.id);
      return { '@odata.context': context, value: render(children, parseSelect(request.query.$select)) };
    },
  );
}

/** Where a folder delta request continues: its skip token, its delta token, or a new round; undefined if stale. */
function resolveCursor(
  params: Query,
  account: Account,
  until: number,
): { query: DeltaQuery; cursor: DeltaCursor } | undefined {
  const owned = (query: DeltaQuery) => query.accountId === account.id && query.scope === 'mailFolders';
  if (params.$skiptoken !== undefined) {
    const state = decodeSkipToken(params.$skiptoken);
    return state !== undefined && owned(state.query) ? state : undefined;
  }
  if (params.$deltatoken !== undefined) {
    const state = decodeDeltaToken(params.$deltatoken);
    if (state === undefined || !owned(state.query)) return undefined;
    return {
      query: state.query,
      cursor: { kind: 'changes', since: state.since, until, afterSeq: state.since },
    };
  }
  const query = {
    scope: 'mailFolders',
    accountId: account.id,
    select: parseSelect(params.$select),
    window: undefined,
  };
  return { query, cursor: { kind: 'initial', until, afterOrdinal: undefined, served: 0 } };
}
