import { type FastifyInstance } from 'fastify';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError, sendApiError } from '../errors';
import { type HubSpotGenerators } from '../generate';
import { admitGeneral } from '../admit';
import { type Limiters } from '../rateLimit';
import { objectType } from '../schema';
import { type ListResponseWire } from '../types';
import { listAfter, openListAfter } from './pageTokens';
import { renderObject } from './serialize';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'crm.objects.list', auth: true };
const MAX_LIMIT = 100;

type ListQuery = { limit?: string; after?: string; properties?: string | string[]; archived?: string };

/** The SDK sends `properties` as repeated keys; comma lists are accepted too. */
export function propertyList(raw: string | string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw : [raw]).flatMap((p) => p.split(',')).filter((p) => p !== '');
}

/**
 * `GET /crm/v3/objects/{type}`: creation (id) order; `after` is a sealed key (the last object served), so
 * objects edited, added or deleted between pages neither shift nor repeat the others;
 * `archived=true` lists only archived objects.
 */
export function registerListObjects(
  app: FastifyInstance,
  ctx: SandboxContext,
  generators: HubSpotGenerators,
  limiters: Limiters,
): void {
  app.get<{ Params: { objectType: string }; Querystring: ListQuery }>(
    '/crm/v3/objects/:objectType',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      const type = objectType(request.params.objectType);
      if (type === undefined)
        return sendApiError(
          reply,
          400,
          apiError(`Unable to infer object type from: ${request.params.objectType}`, 'VALIDATION_ERROR'),
        );
      const limit = request.query.limit === undefined ? 10 : Number(request.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        return sendApiError(
          reply,
          400,
          apiError(`limit must be between 1 and ${MAX_LIMIT}.`, 'VALIDATION_ERROR'),
        );
      }
      const archived = request.query.archived === 'true';
      const after =
        request.query.after === undefined ? undefined : openListAfter(request.query.after, type, archived);
      if (request.query.after !== undefined && after === undefined) {
        // Wording not documented [U] (docs/providers/hubspot.md#paging-cursors).
        const message = `Invalid paging cursor: ${request.query.after}`;
        return sendApiError(reply, 400, apiError(message, 'VALIDATION_ERROR'));
      }
      const page = ctx.datasets.open(account, generators[type]).page({
        ...(after === undefined ? {} : { after }),
        limit,
        order: 'asc',
        filter: (item) => (item.data.archivedAt !== null) === archived,
      });
      const properties = propertyList(request.query.properties);
      const body: ListResponseWire = {
        results: page.items.map((item) => renderObject(type, item, properties)),
      };
      if (page.nextOrdinal !== undefined) {
        const next = listAfter({ type, archived, ordinal: page.nextOrdinal });
        const link = `${ctx.urls.hubspot}/crm/v3/objects/${type}?after=${encodeURIComponent(next)}`;
        body.paging = { next: { after: next, link } };
      }
      return body;
    },
  );
}
