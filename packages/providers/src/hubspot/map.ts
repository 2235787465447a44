import { type CrmObjectRecord } from '@crm-sync/core';
import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';

/** What the mapping needs to know of an object type (HUBSPOT_DESCRIPTOR.crmObjects). */
export interface CrmObjectType {
  objectType: string;
  /** The last-modified property. */
  modifiedProperty: string;
  /** The properties holding the addresses of the person an object of the type is; none for other types. */
  addressProperties: readonly string[];
}

/**
 * One HubSpot CRM object as a `crm_objects` record. Properties are kept as HubSpot's string map (every value is a
 * string or null on the wire), so the CRM sees exactly what HubSpot holds; `remoteUpdatedAt` is the
 * last-modified property the incremental search filters on, falling back to the object's `updatedAt`. `addresses`
 * are the type's address properties' values, each split at semicolons (`hs_additional_emails` holds several);
 * the engine normalises them and leaves out anything that is not an address.
 */
export function toCrmObjectRecord(type: CrmObjectType, object: SimplePublicObject): CrmObjectRecord {
  const properties: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(object.properties ?? {})) {
    properties[name] = typeof value === 'string' ? value : null;
  }
  return {
    externalId: object.id,
    objectType: type.objectType,
    properties,
    remoteUpdatedAt: parseInstant(properties[type.modifiedProperty]) ?? validDate(object.updatedAt),
    addresses: type.addressProperties.flatMap((name) => (properties[name] ?? '').split(';')).filter(Boolean),
  };
}

/**
 * The last-modified instant of an object in epoch ms, as the search filter compares it. Null when HubSpot sent
 * none (then the caller cannot advance its watermark on this object).
 */
export function modifiedAt(object: SimplePublicObject, modifiedProperty: string): number | null {
  const fromProperty = parseInstant(object.properties?.[modifiedProperty]);
  return (fromProperty ?? validDate(object.updatedAt))?.getTime() ?? null;
}

/** HubSpot dates arrive as ISO strings; epoch-ms strings are accepted too (both are valid filter values). */
export function parseInstant(value: string | null | undefined): Date | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

function validDate(value: Date | undefined): Date | null {
  return value instanceof Date && Number.isFinite(value.getTime()) ? value : null;
}
