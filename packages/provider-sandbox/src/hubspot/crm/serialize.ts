import { type StoredItem } from '../../core/types';
import { type HubSpotData } from '../generate';
import { OBJECT_TYPES, type ObjectType } from '../schema';
import { type HubSpotObjectWire } from '../types';
import { type PropertyReader } from './filters';

const iso = (ms: number) => new Date(ms).toISOString();

/** Every property of the object, including the ones HubSpot computes (id, dates). */
function allProperties(type: ObjectType, stored: StoredItem<HubSpotData>): Record<string, string | null> {
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
 * Reads one property without building the whole set: search filters and sorts every live object,
 * and dates come back as epoch ms so comparing them needs no ISO round trip.
 */
export function propertyReader(type: ObjectType, stored: StoredItem<HubSpotData>): PropertyReader {
  return (name) => {
    if (name === 'createdate') return stored.data.createdAt;
    if (name === 'hs_lastmodifieddate' || (name === 'lastmodifieddate' && type === 'contacts'))
      return stored.data.updatedAt;
    if (name === 'hs_object_id') return stored.id;
    return stored.data.properties[name] ?? null;
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
