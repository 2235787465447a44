import { type FastifyInstance } from 'fastify';
import { type RouteMeta } from '../../core/types';
import { apiError, sendApiError } from '../errors';
import { admitGeneral } from '../admit';
import { type Limiters } from '../rateLimit';
import { objectTypeAlias } from '../schema';
import { type PropertyDefinition, type PropertyStore } from './definitions';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'crm.properties.list', auth: true };
const iso = (ms: number) => new Date(ms).toISOString();

/** The wire form: the SDK's `Property` model (options empty: the sandbox's enumerations list none). */
export function renderProperty(p: PropertyDefinition, displayOrder: number) {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: [],
    displayOrder,
    calculated: p.calculated,
    externalOptions: false,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    formField: !p.calculated,
    modificationMetadata: {
      archivable: !p.hubspotDefined,
      readOnlyDefinition: p.hubspotDefined,
      readOnlyValue: p.calculated,
    },
    archived: false,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.createdAt),
  };
}

/**
 * `GET /crm/v3/properties/{objectType}`: every property of the type, unpaged (docs/providers/hubspot.md#properties).
 * `archived=true` lists archived ones, which the sandbox never has.
 */
export function registerGetProperties(app: FastifyInstance, store: PropertyStore, limiters: Limiters): void {
  app.get<{ Params: { objectType: string }; Querystring: { archived?: string } }>(
    '/crm/v3/properties/:objectType',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      const type = objectTypeAlias(request.params.objectType);
      if (type === undefined)
        return sendApiError(
          reply,
          400,
          apiError(`Unable to infer object type from: ${request.params.objectType}`, 'VALIDATION_ERROR'),
        );
      if (request.query.archived === 'true') return { results: [] };
      return { results: store.list(account, type).map((p, i) => renderProperty(p, i)) };
    },
  );
}
