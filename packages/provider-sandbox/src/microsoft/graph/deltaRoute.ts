import { type FastifyReply, type FastifyRequest } from 'fastify';
import { requireAuth } from '../../core/hooks';
import { type Account, type ResourceGenerator, type SandboxContext, type StoredItem } from '../../core/types';
import { deltaPage } from './delta';
import {
  type DeltaCursor,
  type DeltaQuery,
  decodeDeltaToken,
  decodeSkipToken,
  encodeDeltaToken,
  encodeSkipToken,
} from './deltaToken';
import { parsePrefer, preferenceApplied } from './prefer';
import { renderItem, renderRemoved } from './render';
import { sendGraphError } from './reply';
import { parseSelect, project } from './select';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 999;

export interface DeltaRouteSpec<T> {
  generator: ResourceGenerator<T>;
  /** Entity name used in `@odata.context` and `@odata.type`, e.g. `message`. */
  entity: string;
  /** Token scope: a token minted for another resource or folder is refused. */
  scope: string;
  /** Builds the query of a new round from the first request; a string is a 400 message. */
  initialQuery(request: FastifyRequest, account: Account, scope: string): DeltaQuery | string;
  inScope(item: StoredItem<T>, query: DeltaQuery): boolean;
}

type Query = Record<string, string | undefined>;

/** Resolves where this request continues: a skip token, a delta token, or a new round. */
function resolveCursor<T>(
  request: FastifyRequest,
  spec: DeltaRouteSpec<T>,
  account: Account,
  ctx: SandboxContext,
): { query: DeltaQuery; cursor: DeltaCursor } | 'stale' | string {
  const params = request.query as Query;
  const owned = (query: DeltaQuery) => query.accountId === account.id && query.scope === spec.scope;
  const skip = params.$skiptoken;
  if (skip !== undefined) {
    const state = decodeSkipToken(skip);
    return state !== undefined && owned(state.query) ? state : 'stale';
  }
  const until = ctx.datasets.currentSeq(account);
  const delta = params.$deltatoken ?? params.$deltaToken;
  if (delta !== undefined) {
    const state = decodeDeltaToken(delta);
    if (state === undefined || !owned(state.query)) return 'stale';
    return { query: state.query, cursor: { kind: 'changes', since: state.since, until, offset: 0 } };
  }
  const query = spec.initialQuery(request, account, spec.scope);
  return typeof query === 'string'
    ? query
    : { query, cursor: { kind: 'initial', until, afterOrdinal: undefined } };
}

export function deltaHandler<T extends object>(ctx: SandboxContext, spec: DeltaRouteSpec<T>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { account } = requireAuth(request);
    const resolved = resolveCursor(request, spec, account, ctx);
    if (resolved === 'stale') return sendGraphError(reply, ctx.clock, 'syncStateNotFound');
    if (typeof resolved === 'string')
      return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest', { message: resolved });
    const prefs = parsePrefer(request.headers.prefer);
    const pageSize = Math.min(prefs.maxPageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const dataset = ctx.datasets.open(account, spec.generator);
    const step = deltaPage(dataset, resolved.query, resolved.cursor, { pageSize, inScope: spec.inScope });
    const self = `${ctx.urls.microsoft}${request.url.split('?')[0]}`;
    if (!step.ok) {
      // Graph's "start over" answer: 410 with a Location whose delta token is empty.
      const restart = { headers: { location: `${self}?$deltatoken=` } };
      return sendGraphError(
        reply,
        ctx.clock,
        step.reason === 'expired' ? 'syncStateNotFound' : 'resyncRequired',
        restart,
      );
    }
    const odataType = `#microsoft.graph.${spec.entity}`;
    const value = step.entries.map((entry) =>
      entry.kind === 'removed'
        ? renderRemoved(entry.id, odataType, prefs)
        : project(renderItem(entry.item, prefs), resolved.query.select),
    );
    const link =
      'cursor' in step.next
        ? {
            '@odata.nextLink': `${self}?$skiptoken=${encodeSkipToken({ query: resolved.query, cursor: step.next.cursor })}`,
          }
        : {
            '@odata.deltaLink': `${self}?$deltatoken=${encodeDeltaToken({ query: resolved.query, since: step.next.deltaSince })}`,
          };
    void reply.header('preference-applied', preferenceApplied(prefs, pageSize));
    return {
      '@odata.context': `${ctx.urls.microsoft}/v1.0/$metadata#Collection(${spec.entity})`,
      value,
      ...link,
    };
  };
}

/** The first request of an unwindowed delta round (mail, contacts): only `$select` shapes it. */
export function selectOnlyQuery(request: FastifyRequest, account: Account, scope: string): DeltaQuery {
  return {
    scope,
    accountId: account.id,
    select: parseSelect((request.query as Record<string, string | undefined>).$select),
    window: undefined,
  };
}
