import type { Resource, WriteRequest, WriteResource } from '@crm-sync/core';

type Fields<R extends WriteResource> = Extract<WriteRequest, { resource: R; op: 'update' }>['fields'];

/**
 * One provider's writer of one resource, as the table-driven write tests drive it: what to create and change, how
 * the sandbox names the item and the change made elsewhere, and the sandbox route a create goes to.
 */
export interface ProviderCase {
  name: string;
  provider: 'google' | 'microsoft';
  resource: WriteResource;
  /** The sync resource that fills the CRM table of the written resource. */
  syncResource: Resource;
  /** The sandbox generator's resource name. */
  sandboxResource: string;
  create: Extract<WriteRequest, { op: 'create' }>;
  update: Fields<WriteResource>;
  /** A field of the sandbox item that `update` changed, and the value it should hold after. */
  updated: [string, unknown];
  /** Sandbox fields a change made in the account itself sets (control API). */
  elsewhere: Record<string, unknown>;
  /** A write the schema accepts and the provider refuses (400): a create, or an update of a created item. */
  refused: { op: 'create' | 'update'; fields: Fields<WriteResource> };
  /** The sandbox route that creates an item (counters). */
  createRoute: string;
  /** The sandbox's stored id behind the externalId the writer reports. */
  sandboxId(externalId: string): string;
  /** The write id a sandbox item was tagged with at its creation. */
  tagOf(data: Record<string, unknown>): string | undefined;
  /** The CRM table the sync stores the resource in. */
  table: 'contacts' | 'calendar_events';
}

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

export const PROVIDER_CASES: ProviderCase[] = [
  {
    name: 'Google Calendar events',
    provider: 'google',
    resource: 'events',
    syncResource: 'calendar',
    sandboxResource: 'events',
    create: event,
    update: { title: 'Quarterly review (moved)' },
    updated: ['summary', 'Quarterly review (moved)'],
    elsewhere: { summary: 'Renamed in Google Calendar' },
    refused: { op: 'update', fields: endBeforeStart },
    createRoute: 'calendar.events.insert',
    sandboxId: (externalId) => externalId,
    tagOf: (data) => (data.privateProperties as Record<string, string> | undefined)?.['crm-sync-write'],
    table: 'calendar_events',
  },
  {
    name: 'Microsoft Graph events',
    provider: 'microsoft',
    resource: 'events',
    syncResource: 'calendar',
    sandboxResource: 'events',
    create: event,
    update: { title: 'Quarterly review (moved)' },
    updated: ['subject', 'Quarterly review (moved)'],
    elsewhere: { subject: 'Renamed in Outlook' },
    refused: { op: 'update', fields: endBeforeStart },
    createRoute: 'graph.events.create',
    sandboxId: graphStoredId,
    tagOf: graphTag,
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
    update: { jobTitle: 'Rear Admiral' },
    updated: ['jobTitle', 'Rear Admiral'],
    elsewhere: { jobTitle: 'Changed in Outlook' },
    // Outlook requires a given name on a new contact.
    refused: { op: 'create', fields: { familyName: 'Nameless' } },
    createRoute: 'graph.contacts.create',
    sandboxId: graphStoredId,
    tagOf: graphTag,
    table: 'contacts',
  },
];
