import { type FastifyInstance } from 'fastify';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { admitGeneral } from '../admit';
import { apiError, sendApiError } from '../errors';
import { type Limiters } from '../rateLimit';
import { objectTypeAlias } from '../schema';
import { PROPERTY_TYPES, PropertyExistsError, type PropertyStore } from './definitions';
import { renderProperty } from './getProperties';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'crm.properties.create', auth: true };

interface CreateBody {
  name?: unknown;
  label?: unknown;
  type?: unknown;
  fieldType?: unknown;
  groupName?: unknown;
  description?: unknown;
  hidden?: unknown;
  hasUniqueValue?: unknown;
}

const text = (v: unknown): v is string => typeof v === 'string' && v !== '';

/**
 * `POST /crm/v3/properties/{objectType}` (docs/providers/hubspot.md#object-writes): a custom property, `name`,
 * `label`, `type`, `fieldType` (fitting the type) and `groupName` required; 201 with the definition, 409 when the
 * name is taken (wording _unconfirmed_). `hasUniqueValue` makes HubSpot refuse a value another object holds.
 */
export function registerCreateProperty(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: PropertyStore,
  limiters: Limiters,
): void {
  app.post<{ Params: { objectType: string }; Body: CreateBody | undefined }>(
    '/crm/v3/properties/:objectType',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      const type = objectTypeAlias(request.params.objectType);
      if (type === undefined) {
        const message = `Unable to infer object type from: ${request.params.objectType}`;
        return sendApiError(reply, 400, apiError(message, 'VALIDATION_ERROR'));
      }
      const body = request.body ?? {};
      const dataType =
        typeof body.type === 'string' && Object.hasOwn(PROPERTY_TYPES, body.type) ? body.type : undefined;
      const fits =
        dataType !== undefined &&
        (PROPERTY_TYPES[dataType as keyof typeof PROPERTY_TYPES] as readonly string[]).includes(
          String(body.fieldType),
        );
      if (
        !text(body.name) ||
        !/^[a-z][a-z0-9_]{0,99}$/.test(body.name) ||
        !text(body.label) ||
        !text(body.groupName) ||
        !fits
      ) {
        const message =
          'Invalid input: name, label, type, fieldType (fitting type) and groupName are required';
        return sendApiError(reply, 400, apiError(message, 'VALIDATION_ERROR'));
      }
      const definition = {
        name: body.name,
        label: body.label,
        type: dataType as keyof typeof PROPERTY_TYPES,
        fieldType: String(body.fieldType),
        groupName: body.groupName,
        description: typeof body.description === 'string' ? body.description : '',
        hidden: body.hidden === true,
        calculated: false,
        hasUniqueValue: body.hasUniqueValue === true,
        createdAt: ctx.clock.now(),
      };
      try {
        store.define(account, type, definition);
      } catch (error) {
        if (!(error instanceof PropertyExistsError)) throw error;
        return sendApiError(reply, 409, apiError(error.message, 'OBJECT_ALREADY_EXISTS'));
      }
      return reply.code(201).send(renderProperty({ ...definition, hubspotDefined: false }, 0));
    },
  );
}
