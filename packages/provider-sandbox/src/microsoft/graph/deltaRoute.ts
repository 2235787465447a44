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
import { type DeltaOptionRules, parseDeltaOptions } from './queryOptions';
import { sendGraphError } from './reply';
import { project } from './select';
import { type GraphErrorCode } from './errors';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 999;

export interface DeltaRouteSpec<T> {
  generator: ResourceGenerator<T>;
  /** Entity name used in `@odata.context` and `@odata.type`, e.g. `message`. */
  entity: string;
  /** Token scope: a token minted for another resource or folder is refused. */
  scope: string;
  /** Builds the query of a new round from the first request, or refuses it. */
  initialQuery(request: FastifyRequest, account: Account, scope: string): DeltaQuery | QueryRefusal;
  inScope(item: StoredItem<T>, query: DeltaQuery): boolean;
  /** See `DeltaOptions.wasInScope` (delta.ts). */
  wasInScope?(item: StoredItem<T>): boolean;
}

type Query = Record<string, string | undefined>;

/** A first request Graph answers with a 400: the error code and its message. */
export interface QueryRefusal {
  refused: GraphErrorCode;
  message: string;
}

/** Resolves where this request continues: a skip token, a delta token, or a new round. */
function resolveCursor<T>(
  request: FastifyRequest,
  spec: DeltaRouteSpec<T>,
  account: Account,
  ctx: SandboxContext,
): { query: DeltaQuery; cursor: DeltaCursor } | 'stale' | QueryRefusal {
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
    return {
      query: state.query,
      cursor: { kind: 'changes', since: state.since, until, afterSeq: state.since },
    };
  }
  const query = spec.initialQuery(request, account, spec.scope);
  return 'refused' in query
    ? query
    : { query, cursor: { kind: 'initial', until, afterOrdinal: undefined, served: 0 } };
}

export function deltaHandler<T extends object>(ctx: SandboxContext, spec: DeltaRouteSpec<T>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { account } = requireAuth(request);
    const resolved = resolveCursor(request, spec, account, ctx);
    if (resolved === 'stale') return sendGraphError(reply, ctx.clock, 'syncStateNotFound');
    if ('refused' in resolved)
      return sendGraphError(reply, ctx.clock, resolved.refused, { message: resolved.message });
    const prefs = parsePrefer(request.headers.prefer);
    const pageSize = Math.min(prefs.maxPageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const dataset = ctx.datasets.open(account, spec.generator);
    const step = deltaPage(dataset, resolved.query, resolved.cursor, {
      pageSize,
      inScope: spec.inScope,
      ...(spec.wasInScope && { wasInScope: spec.wasInScope }),
    });
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
        : project(renderItem(entry.item, prefs, odataType), resolved.query.select),
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

/** The first request of an unwindowed delta round (mail, contacts): the OData options `rules` allow shape it. */
export function optionsQuery(rules: DeltaOptionRules) {
  return (request: FastifyRequest, account: Account, scope: string): DeltaQuery | QueryRefusal => {
    const options = parseDeltaOptions(request.query as Query, rules);
    if (typeof options === 'string') return { refused: 'ErrorInvalidUrlQuery', message: options };
    if ('unknownProperty' in options)
      return { refused: 'RequestBroker--ParseUri', message: options.unknownProperty };
    return { scope, accountId: account.id, window: undefined, ...options };
  };
}
