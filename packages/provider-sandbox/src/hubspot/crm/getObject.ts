import { type FastifyInstance } from 'fastify';
import { type Account, type RouteMeta, type SandboxContext, type StoredItem } from '../../core/types';
import { admitGeneral } from '../admit';
import { apiError, sendApiError } from '../errors';
import { type HubSpotData, type HubSpotGenerators } from '../generate';
import { type PropertyStore } from '../properties/definitions';
import { type Limiters } from '../rateLimit';
import { objectType, type ObjectType } from '../schema';
import { propertyList } from './listObjects';
import { renderObject } from './serialize';
import { findBy } from './writeInput';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'crm.objects.get', auth: true };

type GetQuery = { properties?: string | string[]; archived?: string; idProperty?: string };

/** HubSpot's 404 for an object it does not hold (or not in the asked state). */
export const notFound = () => apiError('resource not found', 'OBJECT_NOT_FOUND');

export const unknownType = (name: string) =>
  apiError(`Unable to infer object type from: ${name}`, 'VALIDATION_ERROR');

/**
 * The object an id names: its `hs_object_id`, or with `idProperty` the value of a unique-value property (a
 * contact's `email` too), as HubSpot reads objects by an id of one's own. Live objects only unless `archived`.
 */
export function objectById(
  ctx: SandboxContext,
  generators: HubSpotGenerators,
  account: Account,
  type: ObjectType,
  id: string,
  lookup: { idProperty?: string; archived?: boolean } = {},
): StoredItem<HubSpotData> | undefined {
  const dataset = ctx.datasets.open(account, generators[type]);
  const archived = lookup.archived ?? false;
  if (lookup.idProperty !== undefined && lookup.idProperty !== 'hs_object_id') {
    const value = lookup.idProperty === 'email' ? id.toLowerCase() : id;
    return archived ? undefined : findBy(dataset, type, lookup.idProperty, value);
  }
  const item = dataset.get(id);
  return item && (item.data.archivedAt !== null) === archived ? item : undefined;
}

/**
 * `GET /crm/v3/objects/{type}/{id}?properties&archived&idProperty` (docs/providers/hubspot.md#object-writes). An
 * `idProperty` that is not a unique-value property is refused with 400 (wording _unconfirmed_).
 */
export function registerGetObject(
  app: FastifyInstance,
  ctx: SandboxContext,
  generators: HubSpotGenerators,
  properties: PropertyStore,
  limiters: Limiters,
): void {
  app.get<{ Params: { objectType: string; objectId: string }; Querystring: GetQuery }>(
    '/crm/v3/objects/:objectType/:objectId',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      const type = objectType(request.params.objectType);
      if (type === undefined) return sendApiError(reply, 400, unknownType(request.params.objectType));
      const { idProperty } = request.query;
      if (idProperty !== undefined && !isUniqueProperty(properties, account, type, idProperty)) {
        const message = `${idProperty} is not a unique identifier property of ${type}`;
        return sendApiError(reply, 400, apiError(message, 'VALIDATION_ERROR'));
      }
      const item = objectById(ctx, generators, account, type, request.params.objectId, {
        ...(idProperty === undefined ? {} : { idProperty }),
        archived: request.query.archived === 'true',
      });
      if (!item) return sendApiError(reply, 404, notFound());
      return renderObject(type, item, propertyList(request.query.properties));
    },
  );
}

function isUniqueProperty(store: PropertyStore, account: Account, type: ObjectType, name: string): boolean {
  if (name === 'hs_object_id' || (type === 'contacts' && name === 'email')) return true;
  return store.list(account, type).some((p) => p.name === name && p.hasUniqueValue);
}
