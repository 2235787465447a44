import type { Resource, WriteRequest, WriteResource } from '@crm-sync/core';

/** What an update names: the fields of a contact or an event, or a CRM object's properties. */
type Body = Record<string, unknown>;

/**
 * One provider's writer of one resource, as the table-driven write tests drive it: what to create and change, how
 * the sandbox names the item and the change made elsewhere, and the sandbox route a create goes to.
 */
export interface ProviderCase {
  name: string;
  provider: 'google' | 'microsoft' | 'hubspot';
  resource: WriteResource;
  /** The sync resource that fills the CRM table of the written resource. */
  syncResource: Resource;
  /** The sandbox generator's resource name. */
  sandboxResource: string;
  create: Extract<WriteRequest, { op: 'create' }>;
  /** What an update or delete names besides its item and version (`sendUpdates`, an object's type). */
  itemExtra: Record<string, unknown>;
  /** Where an update's changes go: `fields`, or an object's `properties`. */
  bodyKey: 'fields' | 'properties';
  update: Body;
  /** A field of the sandbox item that `update` changed, and the value it should hold after. */
  updated: [string, unknown];
  /** Sandbox fields a change made in the account itself sets (control API). */
  elsewhere: Record<string, unknown>;
  /** A write the schema accepts and the provider refuses (400): a create, or an update of a created item. */
  refused: { op: 'create' | 'update'; body: Body };
  /** The sandbox route that creates an item (counters). */
  createRoute: string;
  /** The sandbox's stored id behind the externalId the writer reports. */
  sandboxId(externalId: string): string;
  /** The write id a sandbox item was tagged with at its creation. */
  tagOf(data: Record<string, unknown>): string | undefined;
  /** A sandbox item the provider keeps after a delete (HubSpot's archive), no longer live. */
  archived(data: Record<string, unknown>): boolean;
  /** The CRM table the sync stores the resource in. */
  table: 'contacts' | 'calendar_events' | 'crm_objects';
}

/** The field a sandbox item keeps a value in: HubSpot objects keep theirs in `properties`. */
export const sandboxField = (c: ProviderCase, data: Record<string, unknown> | undefined, field: string) =>
  c.provider === 'hubspot'
    ? (data?.properties as Record<string, unknown> | undefined)?.[field]
    : data?.[field];

const event = {
  schemaVersion: 1,
  resource: 'events',
  op: 'create',
  sendUpdates: 'none',
  fields: {
    title: 'Quarterly review',
    location: 'Room 7',
    start: { dateTime: '2026-12-14T15:00:00+01:00' },
    end: { dateTime: '2026-12-14T16:00:00+01:00' },
    attendees: [{ email: 'buyer@example.com' }],
  },
} as const satisfies WriteRequest;
/** An end before the event's start: the schema checks order only when both ends are named. */
const endBeforeStart = { end: { dateTime: '2026-12-14T14:00:00+01:00' } };

/** Graph hands out immutable ids (`Prefer: IdType="ImmutableId"`); the sandbox stores items under the regular form. */
const graphStoredId = (externalId: string) =>
  externalId.startsWith('AAkALg') ? `AAMkAG${externalId.slice('AAkALg'.length)}` : externalId;
/** The Graph writer's tag: a string extended property named `crm-sync-write` (providers/src/microsoft/writes). */
const graphTag = (data: Record<string, unknown>) =>
  (data.extendedProperties as Array<{ id: string; value: string }> | undefined)?.find((p) =>
    p.id.endsWith(' Name crm-sync-write'),
  )?.value;

/** What a HubSpot object of each type is created with (a contact without email: HubSpot keeps emails unique). */
const HUBSPOT_CREATES = {
  companies: { name: 'Initech', domain: 'initech.example' },
  deals: { dealname: 'Renewal 2027', dealstage: 'appointmentscheduled', amount: '1200' },
  contacts: { firstname: 'Grace', lastname: 'Hopper', company: 'Navy' },
} as const;

export const PROVIDER_CASES: ProviderCase[] = [
  {
    name: 'Google Calendar events',
    provider: 'google',
    resource: 'events',
    syncResource: 'calendar',
    sandboxResource: 'events',
    create: event,
    itemExtra: { sendUpdates: 'none' },
    bodyKey: 'fields',
    update: { title: 'Quarterly review (moved)' },
    updated: ['summary', 'Quarterly review (moved)'],
    elsewhere: { summary: 'Renamed in Google Calendar' },
    refused: { op: 'update', body: endBeforeStart },
    createRoute: 'calendar.events.insert',
    sandboxId: (externalId) => externalId,
    tagOf: (data) => (data.privateProperties as Record<string, string> | undefined)?.['crm-sync-write'],
    archived: () => false,
    table: 'calendar_events',
  },
  {
    name: 'Microsoft Graph events',
    provider: 'microsoft',
    resource: 'events',
    syncResource: 'calendar',
    sandboxResource: 'events',
    create: event,
    itemExtra: { sendUpdates: 'none' },
    bodyKey: 'fields',
    update: { title: 'Quarterly review (moved)' },
    updated: ['subject', 'Quarterly review (moved)'],
    elsewhere: { subject: 'Renamed in Outlook' },
    refused: { op: 'update', body: endBeforeStart },
    createRoute: 'graph.events.create',
    sandboxId: graphStoredId,
    tagOf: graphTag,
    archived: () => false,
    table: 'calendar_events',
  },
  {
    name: 'Microsoft Graph contacts',
    provider: 'microsoft',
    resource: 'contacts',
    syncResource: 'contacts',
    sandboxResource: 'contacts',
    create: {
      schemaVersion: 1,
      resource: 'contacts',
      op: 'create',
      fields: { givenName: 'Grace', familyName: 'Hopper', emails: ['grace@example.com'], company: 'Navy' },
    },
    itemExtra: {},
    bodyKey: 'fields',
    update: { jobTitle: 'Rear Admiral' },
    updated: ['jobTitle', 'Rear Admiral'],
    elsewhere: { jobTitle: 'Changed in Outlook' },
    // Outlook requires a given name on a new contact.
    refused: { op: 'create', body: { familyName: 'Nameless' } },
    createRoute: 'graph.contacts.create',
    sandboxId: graphStoredId,
    tagOf: graphTag,
    archived: () => false,
    table: 'contacts',
  },
  ...(['companies', 'deals', 'contacts'] as const).map((objectType) => hubspotCase(objectType)),
];

/** HubSpot objects of one type (providers/src/hubspot/writes): tagged in the unique property `crm_sync_write_id`. */
function hubspotCase(objectType: keyof typeof HUBSPOT_CREATES): ProviderCase {
  return {
    name: `HubSpot ${objectType}`,
    provider: 'hubspot',
    resource: 'objects',
    syncResource: objectType,
    sandboxResource: objectType,
    create: {
      schemaVersion: 1,
      resource: 'objects',
      op: 'create',
      objectType,
      properties: { ...HUBSPOT_CREATES[objectType] },
    },
    itemExtra: { objectType },
    bodyKey: 'properties',
    update: { hubspot_owner_id: '7' },
    updated: ['hubspot_owner_id', '7'],
    elsewhere: { hubspot_owner_id: '3' },
    // A property the portal does not define.
    refused: { op: 'create', body: { ...HUBSPOT_CREATES[objectType], favourite_colour: 'teal' } },
    createRoute: 'crm.objects.create',
    sandboxId: (externalId) => externalId,
    tagOf: (data) =>
      (data.properties as Record<string, string | null> | undefined)?.crm_sync_write_id ?? undefined,
    archived: (data) => data.archivedAt !== null && data.archivedAt !== undefined,
    table: 'crm_objects',
  };
}
