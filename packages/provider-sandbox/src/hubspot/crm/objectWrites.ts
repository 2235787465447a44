import { type FastifyInstance } from 'fastify';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { admitGeneral } from '../admit';
import { sendApiError } from '../errors';
import { type HubSpotGenerators } from '../generate';
import { type PropertyStore } from '../properties/definitions';
import { type Limiters } from '../rateLimit';
import { objectType, OBJECT_TYPES } from '../schema';
import { notFound, objectById, unknownType } from './getObject';
import { renderObject } from './serialize';
import { checkProperties, checkRequired, uniqueClash } from './writeInput';

const route = (routeId: string): { config: { sandbox: RouteMeta } } => ({
  config: { sandbox: { provider: 'hubspot', routeId, auth: true } },
});

type Params = { objectType: string; objectId: string };

/**
 * Creating, updating and archiving CRM objects (`/crm/v3/objects/{type}[/{id}]`, docs/providers/hubspot.md#object-writes),
 * with HubSpot's refusals: 400 VALIDATION_ERROR for properties the portal does not define or computes itself and
 * for a new object without what its type needs, 409 CONFLICT for a value another object holds where values are
 * unique, 404 for an id it does not hold live. Every change moves the object's `updatedAt` and last-modified
 * property, so the sync's search finds it.
 */
export function registerObjectWrites(
  app: FastifyInstance,
  ctx: SandboxContext,
  generators: HubSpotGenerators,
  properties: PropertyStore,
  limiters: Limiters,
): void {
  app.post<{ Params: { objectType: string } }>(
    '/crm/v3/objects/:objectType',
    route('crm.objects.create'),
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      const type = objectType(request.params.objectType);
      if (type === undefined) return sendApiError(reply, 400, unknownType(request.params.objectType));
      const definitions = properties.list(account, type);
      const checked = checkProperties(request.body, definitions);
      if (!checked.ok) return sendApiError(reply, checked.status, checked.body);
      const dataset = ctx.datasets.open(account, generators[type]);
      const refused =
        checkRequired(type, checked.properties) ??
        uniqueClash(dataset, type, definitions, checked.properties, undefined);
      if (refused) return sendApiError(reply, refused.status, refused.body);
      const now = ctx.clock.now();
      // A new object holds only what the request set: every other defined property starts empty.
      const blank = Object.fromEntries(definitions.map((d) => [d.name, null]));
      const item = dataset.add({ ...blank, ...checked.properties, createdAt: now });
      return reply.code(201).send(renderObject(type, item, Object.keys(checked.properties)));
    },
  );

  app.patch<{ Params: Params; Querystring: { idProperty?: string } }>(
    '/crm/v3/objects/:objectType/:objectId',
    route('crm.objects.update'),
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      const type = objectType(request.params.objectType);
      if (type === undefined) return sendApiError(reply, 400, unknownType(request.params.objectType));
      const { idProperty } = request.query;
      const current = objectById(ctx, generators, account, type, request.params.objectId, {
        ...(idProperty === undefined ? {} : { idProperty }),
      });
      if (!current) return sendApiError(reply, 404, notFound());
      const definitions = properties.list(account, type);
      const checked = checkProperties(request.body, definitions);
      if (!checked.ok) return sendApiError(reply, checked.status, checked.body);
      const dataset = ctx.datasets.open(account, generators[type]);
      const clash = uniqueClash(dataset, type, definitions, checked.properties, current.id);
      if (clash) return sendApiError(reply, clash.status, clash.body);
      const item = dataset.update(current.id, checked.properties);
      if (!item) return sendApiError(reply, 404, notFound());
      return renderObject(type, item, [...OBJECT_TYPES[type].defaults, ...Object.keys(checked.properties)]);
    },
  );

  // HubSpot's archive: the object leaves lists and search and shows in `archived=true` listings (the recycle bin).
  // An id it does not hold live (unknown or archived already) is 404 here (_unconfirmed_ for the archived case).
  app.delete<{ Params: Params }>(
    '/crm/v3/objects/:objectType/:objectId',
    route('crm.objects.archive'),
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      const type = objectType(request.params.objectType);
      if (type === undefined) return sendApiError(reply, 400, unknownType(request.params.objectType));
      const current = objectById(ctx, generators, account, type, request.params.objectId);
      if (!current) return sendApiError(reply, 404, notFound());
      ctx.datasets.open(account, generators[type]).update(current.id, { archived: true });
      return reply.code(204).send();
    },
  );
}
