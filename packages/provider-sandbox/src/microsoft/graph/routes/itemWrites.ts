import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { requireAuth } from '../../../core/hooks';
import {
  type Account,
  type ResourceGenerator,
  type RouteMeta,
  type SandboxContext,
  type StoredItem,
} from '../../../core/types';
import { type GraphErrorCode } from '../errors';
import { type ExtendedProperty, holds, parseExtendedFilter } from '../extendedProperties';
import { parsePrefer } from '../prefer';
import { renderItem, storedIdOf } from '../render';
import { sendGraphError } from '../reply';
import { type Parsed } from '../writeInput';

/** One writable Graph collection of the signed-in user (`/me/contacts`, `/me/events`). */
export interface WritableCollection<T extends object> {
  /** Path segment under `/v1.0/me/` and the route id prefix (`graph.<segment>.create`…). */
  segment: 'contacts' | 'events';
  generator: ResourceGenerator<T>;
  odataType: string;
  /** Delegated permissions that allow reading, and writing (https://learn.microsoft.com/graph/permissions-reference). */
  readScopes: readonly string[];
  writeScopes: readonly string[];
  /** What a new item holds before the body's properties: none of the generator's values. */
  blank(account: Account, now: number): Partial<T>;
  parse(body: unknown, current: T | undefined, blank: Partial<T>): Parsed;
}

/** Graph names permissions with or without its resource prefix in a token's scopes. */
const permission = (scope: string) => scope.replace(/^https:\/\/graph\.microsoft\.com\//, '');

/**
 * POST, GET, PATCH and DELETE on `/me/{segment}`, and its listing by an extended property
 * (docs/providers/microsoft.md#contact-and-event-writes): `{error:{code,message}}` refusals, a changeKey and
 * `@odata.etag` that change with every change, 412 on a stale `If-Match`. Changes go through the dataset, so the
 * delta sync sees them.
 */
export function registerItemWrites<T extends object>(
  app: FastifyInstance,
  ctx: SandboxContext,
  collection: WritableCollection<T>,
): void {
  const base = `/v1.0/me/${collection.segment}`;
  const meta = (verb: string): { config: { sandbox: RouteMeta } } => ({
    config: {
      sandbox: {
        provider: 'microsoft',
        routeId: `graph.${collection.segment}.${verb}`,
        auth: true,
        quotaUnits: 1,
      },
    },
  });
  const fail = (reply: FastifyReply, code: GraphErrorCode, message?: string) =>
    sendGraphError(reply, ctx.clock, code, message === undefined ? {} : { message });
  const render = (request: FastifyRequest, item: StoredItem<T>) =>
    renderItem(item, parsePrefer(request.headers.prefer), collection.odataType);

  /** The account's items when the token holds one of `scopes`; undefined after answering 403. */
  const itemsOf = (request: FastifyRequest, reply: FastifyReply, scopes: readonly string[]) => {
    const { account, scopes: granted } = requireAuth(request);
    if (!granted.some((s) => scopes.includes(permission(s)))) {
      void fail(reply, 'ErrorAccessDenied');
      return undefined;
    }
    return { account, items: ctx.datasets.open(account, collection.generator) };
  };
  /** The item a path names, after checking `If-Match`; undefined after answering 404 or 412. */
  const target = (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const scoped = itemsOf(request, reply, collection.writeScopes);
    if (!scoped) return undefined;
    const item = scoped.items.get(storedIdOf(request.params.id));
    if (!item) {
      void fail(reply, 'ErrorItemNotFound');
      return undefined;
    }
    const ifMatch = request.headers['if-match'];
    if (typeof ifMatch === 'string' && ifMatch !== '*' && ifMatch !== render(request, item)['@odata.etag']) {
      void fail(reply, 'ErrorIrresolvableConflict');
      return undefined;
    }
    return { ...scoped, item };
  };

  app.post(base, meta('create'), async (request, reply) => {
    const scoped = itemsOf(request, reply, collection.writeScopes);
    if (!scoped) return reply;
    const blank = collection.blank(scoped.account, ctx.clock.now());
    const parsed = collection.parse(request.body, undefined, blank);
    if (!parsed.ok) return fail(reply, parsed.code, parsed.message);
    const item = scoped.items.add({ ...blank, ...parsed.fields });
    return reply.code(201).send(render(request, item));
  });

  app.get<{ Params: { id: string } }>(`${base}/:id`, meta('get'), async (request, reply) => {
    const scoped = itemsOf(request, reply, [...collection.readScopes, ...collection.writeScopes]);
    if (!scoped) return reply;
    const item = scoped.items.get(storedIdOf(request.params.id));
    return item ? render(request, item) : fail(reply, 'ErrorItemNotFound');
  });

  app.patch<{ Params: { id: string } }>(`${base}/:id`, meta('update'), async (request, reply) => {
    const found = target(request, reply);
    if (!found) return reply;
    const parsed = collection.parse(request.body, found.item.data, collection.blank(found.account, 0));
    if (!parsed.ok) return fail(reply, parsed.code, parsed.message);
    const item = found.items.update(found.item.id, parsed.fields);
    return item ? render(request, item) : fail(reply, 'ErrorItemNotFound');
  });

  app.delete<{ Params: { id: string } }>(`${base}/:id`, meta('delete'), async (request, reply) => {
    const found = target(request, reply);
    if (!found) return reply;
    found.items.delete(found.item.id);
    return reply.code(204).send();
  });

  // The sandbox lists a collection only by an extended property (what a retried create looks up); other
  // listings are refused rather than answered differently from Graph.
  app.get(base, meta('list'), async (request, reply) => {
    const scoped = itemsOf(request, reply, [...collection.readScopes, ...collection.writeScopes]);
    if (!scoped) return reply;
    const filter = (request.query as Record<string, unknown>).$filter;
    const wanted = typeof filter === 'string' ? parseExtendedFilter(filter) : undefined;
    if (!wanted)
      return fail(
        reply,
        'ErrorInvalidUrlQuery',
        'The sandbox lists this collection only by an extended property.',
      );
    const matches = (item: StoredItem<T>) =>
      holds((item.data as { extendedProperties?: ExtendedProperty[] }).extendedProperties, wanted);
    const page = scoped.items.page({ limit: 1000, order: 'asc', filter: matches });
    return {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${scoped.account.id}')/${collection.segment}`,
      value: page.items.map((item) => render(request, item)),
    };
  });
}
