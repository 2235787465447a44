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
  /** A change the write schema accepts and the provider refuses (400). */
  refusedUpdate: Fields<WriteResource>;
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
    refusedUpdate: endBeforeStart,
    createRoute: 'calendar.events.insert',
    sandboxId: (externalId) => externalId,
    tagOf: (data) => (data.privateProperties as Record<string, string> | undefined)?.['crm-sync-write'],
    table: 'calendar_events',
  },
];
