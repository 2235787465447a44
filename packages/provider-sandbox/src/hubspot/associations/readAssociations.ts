import { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { openCursor, sealCursor } from '../../core/cursors';
import { requireAuth } from '../../core/hooks';
import { type Account, type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError, rateLimitError, sendApiError } from '../errors';
import { type Limiters } from '../rateLimit';
import { objectTypeAlias, type ObjectType, SINGULAR } from '../schema';
import { type Associated, type AssociationStore } from './model';

// v4 association reads (docs/providers/hubspot.md#associations): one object's associations of one type, and the
// batch read of up to 1,000 objects' associations. Paging is per object: `after` resumes after the last
// associated id served (sealed, bound to the object and the type asked for).

const single: RouteMeta = { provider: 'hubspot', routeId: 'crm.associations.list', auth: true };
const batch: RouteMeta = { provider: 'hubspot', routeId: 'crm.associations.batchRead', auth: true };
/** Page size of both reads (_unconfirmed_: HubSpot documents no figure for batch read; 500 is the GET maximum). */
const PAGE = 500;
const MAX_INPUTS = 1000;
const AFTER = 'hubspot.associations.after';

interface Page {
  to: Associated[];
  after?: string;
}

interface AfterToken {
  from: ObjectType;
  id: string;
  to: ObjectType;
  last: string;
}

function pageOf(
  all: Associated[],
  from: ObjectType,
  id: string,
  to: ObjectType,
  after?: string,
  limit = PAGE,
) {
  let start = 0;
  if (after !== undefined) {
    const token = openCursor(AFTER, after) as Partial<AfterToken> | undefined;
    if (token?.from !== from || token.id !== id || token.to !== to || typeof token.last !== 'string') return;
    const last = Number(token.last);
    start = all.findIndex((a) => Number(a.toObjectId) > last);
    if (start < 0) start = all.length;
  }
  const served = all.slice(start, start + limit);
  const page: Page = { to: served };
  if (start + limit < all.length)
    page.after = sealCursor(AFTER, { from, id, to, last: served.at(-1)!.toObjectId } satisfies AfterToken);
  return page;
}

const batchBody = z.object({
  inputs: z.array(z.object({ id: z.string().regex(/^\d+$/), after: z.string().optional() })),
});

export function registerReadAssociations(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: AssociationStore,
  limiters: Limiters,
): void {
  const typesOf = (reply: FastifyReply, names: string[]): ObjectType[] | undefined => {
    const types = names.map(objectTypeAlias);
    const unknown = names.find((_, i) => types[i] === undefined);
    if (unknown === undefined) return types as ObjectType[];
    void sendApiError(
      reply,
      400,
      apiError(`Unable to infer object type from: ${unknown}`, 'VALIDATION_ERROR'),
    );
    return undefined;
  };
  const limited = (account: Account, reply: FastifyReply) => {
    const rate = limiters.general(account.id);
    void reply.headers(rate.headers);
    return rate.allowed ? false : (void reply.code(429).send(rateLimitError('TEN_SECONDLY_ROLLING')), true);
  };

  app.get<{
    Params: { objectType: string; objectId: string; toObjectType: string };
    Querystring: { limit?: string; after?: string };
  }>(
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType',
    { config: { sandbox: single } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      if (limited(account, reply)) return reply;
      const types = typesOf(reply, [request.params.objectType, request.params.toObjectType]);
      if (!types) return reply;
      const [from, to] = types as [ObjectType, ObjectType];
      const limit = request.query.limit === undefined ? PAGE : Number(request.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > PAGE)
        return sendApiError(reply, 400, apiError(`limit must be between 1 and ${PAGE}.`, 'VALIDATION_ERROR'));
      const { objectId } = request.params;
      const all = store.list(account, from, objectId, to) ?? [];
      const page = pageOf(all, from, objectId, to, request.query.after, limit);
      if (!page) return invalidAfter(reply, request.query.after);
      const next = page.after;
      const link = `${ctx.urls.hubspot}/crm/v4/objects/${from}/${objectId}/associations/${to}`;
      return {
        results: page.to,
        ...(next === undefined ? {} : { paging: { next: { after: next, link: `${link}?after=${next}` } } }),
      };
    },
  );

  app.post<{ Params: { fromObjectType: string; toObjectType: string } }>(
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/read',
    { config: { sandbox: batch } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      if (limited(account, reply)) return reply;
      const types = typesOf(reply, [request.params.fromObjectType, request.params.toObjectType]);
      if (!types) return reply;
      const [from, to] = types as [ObjectType, ObjectType];
      const body = batchBody.safeParse(request.body);
      if (!body.success)
        return sendApiError(
          reply,
          400,
          apiError('Invalid input JSON: inputs[].id required', 'VALIDATION_ERROR'),
        );
      const { inputs } = body.data;
      if (inputs.length > MAX_INPUTS)
        return sendApiError(
          reply,
          400,
          apiError(
            `Batch input size ${inputs.length} exceeds the limit of ${MAX_INPUTS}.`,
            'VALIDATION_ERROR',
          ),
        );
      const startedAt = new Date(ctx.clock.now()).toISOString();
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const input of inputs) {
        const page = pageOf(store.list(account, from, input.id, to) ?? [], from, input.id, to, input.after);
        if (!page) return invalidAfter(reply, input.after);
        if (page.to.length === 0) {
          errors.push(noAssociations(from, input.id, to));
          continue;
        }
        results.push({
          from: { id: input.id },
          to: page.to,
          ...(page.after === undefined ? {} : { paging: { next: { after: page.after } } }),
        });
      }
      const completedAt = new Date(ctx.clock.now()).toISOString();
      const response = { status: 'COMPLETE', results, startedAt, completedAt };
      if (errors.length === 0) return response;
      // 207 Multi-Status with the objects that have none listed as errors (third-party only; hubspot.md#associations).
      return reply.code(207).send({ ...response, numErrors: errors.length, errors });
    },
  );
}

function noAssociations(from: ObjectType, id: string, to: ObjectType) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
    message: `No ${SINGULAR[to]} is associated with ${SINGULAR[from]} ${id}.`,
    context: { fromObjectId: [id], fromObjectType: [SINGULAR[from]], toObjectType: [SINGULAR[to]] },
    links: {},
    errors: [],
  };
}

function invalidAfter(reply: FastifyReply, after: string | undefined) {
  // Wording not documented [U] (docs/providers/hubspot.md#paging-cursors).
  return sendApiError(reply, 400, apiError(`Invalid paging cursor: ${after ?? ''}`, 'VALIDATION_ERROR'));
}
