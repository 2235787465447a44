import {
  type ObjectPropertiesV1,
  type ObjectWrite,
  type ResourceWriter,
  type WriteOutcome,
} from '@crm-sync/core';
import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';
import { hubspotApis, type HubSpotApis, type HubSpotClientOptions } from '../client';
import { HUBSPOT_DESCRIPTOR, type HubSpotObjectType } from '../descriptor';
import { toCrmObjectRecord } from '../map';
import { propertyNames, type PropertyNames } from '../sync/properties';
import { defineKeyProperty, findTagged, missingKeyProperty, statusOf, WRITE_KEY_PROPERTY } from './writeKey';

export interface HubSpotWriterOptions extends HubSpotClientOptions {
  /** The properties the sync reads per type (adapter `syncProperties`): a written object is read back with them. */
  properties?: Partial<Record<HubSpotObjectType, readonly string[]>>;
}

type Op<O extends ObjectWrite['op']> = Extract<ObjectWrite, { op: O }>;

/**
 * The version of an object the CRM writes against: its `updatedAt`, which every change moves (HubSpot CRM v3 has
 * no etag and no If-Match; docs/providers/hubspot.md#object-writes).
 */
const versionOf = (object: SimplePublicObject): string => object.updatedAt.toISOString();

/** HubSpot clears a property given the empty string; every value goes as a string. */
const toHubSpot = (properties: ObjectPropertiesV1): Record<string, string> =>
  Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, value ?? '']));

/**
 * HubSpot contacts, companies and deals (docs/write-back.md, docs/providers/hubspot.md#object-writes). A create is
 * tagged with the write's id in a unique-value property and a retry reads it by that property; an update or archive
 * reads the object first and goes ahead only when its version is the one the CRM saw (the race window is the one
 * round trip between that read and the change). Each outcome carries the object as the sync reads it (same
 * properties, read back after the change), so the CRM row written with the outcome matches the next round's.
 */
export function createHubSpotObjectsWriter(options: HubSpotWriterOptions): ResourceWriter<ObjectWrite> {
  const names = new Map<HubSpotObjectType, PropertyNames>();
  for (const [type, spec] of Object.entries(HUBSPOT_DESCRIPTOR.crmObjects) as Array<
    [HubSpotObjectType, (typeof HUBSPOT_DESCRIPTOR.crmObjects)[HubSpotObjectType]]
  >) {
    // The same list the syncer asks for (sync/objects.ts), so both read an object alike. Syncing every property,
    // the syncer reads the tag property from the round after its definition on; a write that defined it reads it
    // at once (HubSpot leaves out a property the portal does not define).
    const configured = options.properties?.[type];
    const always = [spec.modifiedProperty, 'hs_object_id', ...(configured ? [] : [WRITE_KEY_PROPERTY])];
    names.set(type, propertyNames(type, always, configured));
  }
  return {
    scopesFor: (write) => HUBSPOT_DESCRIPTOR.writeScopesByObjectType[write.objectType].slice(0, 1),
    async apply(write, attempt) {
      const apis = hubspotApis(options, attempt.accessToken);
      const type = write.objectType;
      // Read once per write (the clientKey as the cache's round): a property defined since is read back too.
      const properties = await (names.get(type) as PropertyNames)(
        apis,
        attempt.accessToken,
        attempt.clientKey,
      );
      const calls = objectCalls(apis, type, properties);
      if (write.op === 'create') {
        const earlier = attempt.retried
          ? await findTagged(apis, type, attempt.clientKey, properties)
          : undefined;
        return earlier
          ? calls.applied(earlier)
          : calls.readBack(await calls.create(write, attempt.clientKey));
      }
      const now = await calls.read(write.externalId);
      // Archived already (another archive, or this one before a crash): the outcome the CRM asked for holds.
      if (write.op === 'delete' && !now) return archived(write.externalId);
      // Changed or archived since the CRM read it: the write is not applied blindly.
      if (!now || versionOf(now) !== write.baseVersion) return calls.conflict(write.externalId, now);
      try {
        if (write.op === 'update') return await calls.update(write);
        await apis.objects.basicApi.archive(type, write.externalId);
        return archived(write.externalId);
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        // Archived between the read and the change.
        if (write.op === 'delete') return archived(write.externalId);
        return calls.conflict(write.externalId, undefined);
      }
    },
  };
}

const archived = (externalId: string): WriteOutcome => ({
  kind: 'applied',
  externalId,
  version: null,
  record: null,
});

/** One write's calls for one type, reading objects with the sync's properties. */
function objectCalls(apis: HubSpotApis, objectType: HubSpotObjectType, properties: string[]) {
  const spec = { objectType, ...HUBSPOT_DESCRIPTOR.crmObjects[objectType] };
  const read = async (id: string): Promise<SimplePublicObject | undefined> => {
    try {
      return await apis.objects.basicApi.getById(objectType, id, properties);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  };
  const applied = (object: SimplePublicObject): WriteOutcome => ({
    kind: 'applied',
    externalId: object.id,
    version: versionOf(object),
    record: toCrmObjectRecord(spec, object),
  });
  /** The object as it is now; archived between the change and this read, the change's answer stands for it. */
  const readBack = async (changed: SimplePublicObject) => applied((await read(changed.id)) ?? changed);
  const createTagged = async (write: Op<'create'>, clientKey: string) => {
    const input = { properties: { ...toHubSpot(write.properties), [WRITE_KEY_PROPERTY]: clientKey } };
    try {
      return await apis.objects.basicApi.create(objectType, input);
    } catch (error) {
      // An object with this write's id exists: an earlier attempt made it (HubSpot keeps the value unique).
      const earlier =
        statusOf(error) === 409 ? await findTagged(apis, objectType, clientKey, properties) : undefined;
      if (earlier) return earlier;
      throw error;
    }
  };
  return {
    read,
    applied,
    readBack,
    async create(write: Op<'create'>, clientKey: string): Promise<SimplePublicObject> {
      try {
        return await createTagged(write, clientKey);
      } catch (error) {
        // The first create of the type in this portal: define the tag property, then create.
        if (!missingKeyProperty(error)) throw error;
        await defineKeyProperty(apis, objectType);
        return createTagged(write, clientKey);
      }
    },
    async update(write: Op<'update'>): Promise<WriteOutcome> {
      const properties = toHubSpot(write.properties);
      return readBack(await apis.objects.basicApi.update(objectType, write.externalId, { properties }));
    },
    async conflict(externalId: string, now: SimplePublicObject | undefined): Promise<WriteOutcome> {
      return {
        kind: 'conflict',
        externalId,
        version: now ? versionOf(now) : null,
        current: now ? toCrmObjectRecord(spec, now) : null,
      };
    },
  };
}
