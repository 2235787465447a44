import { type StoredItem } from '../../core/types';
import { type HubSpotData } from '../generate';
import { OBJECT_TYPES, type ObjectType } from '../schema';
import { type HubSpotObjectWire } from '../types';

const iso = (ms: number) => new Date(ms).toISOString();

/** Every property of the object, including the ones HubSpot computes (id, dates). */
export function allProperties(
  type: ObjectType,
  stored: StoredItem<HubSpotData>,
): Record<string, string | null> {
  const modified = iso(stored.data.updatedAt);
  return {
    ...stored.data.properties,
    createdate: iso(stored.data.createdAt),
    hs_lastmodifieddate: modified,
    ...(type === 'contacts' ? { lastmodifieddate: modified } : {}),
    hs_object_id: stored.id,
  };
}

/**
 * Without `properties` the type's defaults come back; with them, the requested ones that exist
 * (null when empty) plus the id and the two dates, which HubSpot always includes.
 */
export function selectProperties(
  type: ObjectType,
  all: Record<string, string | null>,
  requested: readonly string[] | undefined,
): Record<string, string | null> {
  const schema = OBJECT_TYPES[type];
  const names =
    requested === undefined
      ? schema.defaults
      : [...requested, 'createdate', schema.modifiedProperty, 'hs_object_id'];
  const out: Record<string, string | null> = {};
  for (const name of names) if (Object.hasOwn(all, name)) out[name] = all[name] ?? null;
  return out;
}

export function renderObject(
  type: ObjectType,
  stored: StoredItem<HubSpotData>,
  requested: readonly string[] | undefined,
): HubSpotObjectWire {
  const { createdAt, updatedAt, archivedAt } = stored.data;
  return {
    id: stored.id,
    properties: selectProperties(type, allProperties(type, stored), requested),
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
    archived: archivedAt !== null,
    ...(archivedAt === null ? {} : { archivedAt: iso(archivedAt) }),
  };
}
