import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate';
import { type HubSpotApis } from '../client';
import { type HubSpotObjectType } from '../descriptor';
import { isHubSpotApiError } from '../errors';

/**
 * The property a created object carries its write's id in. HubSpot has no client request id on create; a custom
 * property with unique values is its way to name an object by an id of one's own: the object can be read by it
 * (`GET /crm/v3/objects/{type}/{value}?idProperty=…`, read at once, not through the search index), and HubSpot
 * refuses a second object with the same value (409), so a retried create can never make a second object
 * (docs/providers/hubspot.md#object-writes).
 */
export const WRITE_KEY_PROPERTY = 'crm_sync_write_id';

/** HubSpot's default property group of each type, where the tag property is defined. */
const GROUPS: Record<HubSpotObjectType, string> = {
  contacts: 'contactinformation',
  companies: 'companyinformation',
  deals: 'dealinformation',
};

export const statusOf = (error: unknown): number | undefined =>
  isHubSpotApiError(error) ? error.code : undefined;

/**
 * Whether a create was refused because the portal does not define the tag property yet: HubSpot's 400
 * `VALIDATION_ERROR` lists the refused properties as JSON inside its message, each with `error` and `name`
 * (docs/providers/hubspot.md#object-writes).
 */
export function missingKeyProperty(error: unknown): boolean {
  if (!isHubSpotApiError(error) || error.code !== 400) return false;
  const body: unknown = typeof error.body === 'string' ? safeJson(error.body) : error.body;
  const message = (body as { message?: unknown } | undefined)?.message;
  if (typeof message !== 'string') return false;
  const listed = safeJson(message.slice(message.indexOf('[')));
  return (
    Array.isArray(listed) &&
    listed.some(
      (e: { error?: unknown; name?: unknown }) =>
        e.error === 'PROPERTY_DOESNT_EXIST' && e.name === WRITE_KEY_PROPERTY,
    )
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Defines the tag property for the type (hidden from forms, unique values). A definition another worker made in
 * the meantime answers 409, which is as good.
 */
export async function defineKeyProperty(apis: HubSpotApis, objectType: HubSpotObjectType): Promise<void> {
  try {
    await apis.properties.coreApi.create(objectType, {
      name: WRITE_KEY_PROPERTY,
      label: 'crm-sync write id',
      description: 'Set by crm-sync on objects it creates, so a retried create finds the object it made.',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: GROUPS[objectType],
      hasUniqueValue: true,
      formField: false,
    });
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
}

/**
 * The object an earlier attempt created under the write's id, read by the tag property. 404: none; 400: the
 * property is not defined, so no object can carry it.
 */
export async function findTagged(
  apis: HubSpotApis,
  objectType: HubSpotObjectType,
  clientKey: string,
  properties: string[],
): Promise<SimplePublicObject | undefined> {
  try {
    return await apis.objects.basicApi.getById(
      objectType,
      clientKey,
      properties,
      undefined,
      undefined,
      false,
      WRITE_KEY_PROPERTY,
    );
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 400) return undefined;
    throw error;
  }
}
