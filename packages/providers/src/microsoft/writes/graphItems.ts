import type { WriteRequest, WrittenRecord } from '@crm-sync/core';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { conditionalWriter, type ConditionalCalls } from '../../shared/conditionalWriter';
import { type GraphAccess } from '../client';

/**
 * The single-value extended property a created item carries the write's id in: a string property named in our own
 * property set (docs/providers/microsoft.md#contact-and-event-writes).
 */
export const WRITE_KEY_PROPERTY = 'String {6f0c3a5e-8d1b-4c27-9e4a-2b7d5f913c08} Name crm-sync-write';

/** Where a Graph item lives and how it reads as a CRM record. */
export interface GraphCollection<W extends WriteRequest, Item> {
  /** `/me/contacts` or `/me/events`. */
  path: string;
  /** Sent with every call: immutable ids as the sync asks (sync/delta.ts), so both name an item alike. */
  prefer: string;
  /** The Graph body of a create or an update (an update names only the fields it changes). */
  toBody(write: Extract<W, { op: 'create' }> | Extract<W, { op: 'update' }>): object;
  map(item: Item): WrittenRecord;
}

interface GraphItem {
  id?: string;
  '@odata.etag'?: string;
}

const statusOf = (error: unknown) => (error instanceof GraphError ? error.statusCode : undefined);
/** OData string literals double their quotes. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * A Graph collection's writer: POST tagged with the write id in an extended property (found with
 * `$filter=singleValueExtendedProperties/Any(…)` on a retry), PATCH and DELETE with `If-Match: <@odata.etag>`
 * (412 when the item changed since, 404 once it is gone).
 */
export function graphWriter<W extends WriteRequest, Item extends GraphItem>(
  access: GraphAccess,
  scopes: readonly string[],
  collection: GraphCollection<W, Item>,
) {
  const calls = (accessToken: string): ConditionalCalls<W, Item> => {
    const client = access.clientFor(accessToken);
    const api = (path: string) => client.api(path).header('Prefer', collection.prefer);
    const item = (id: string) => `${collection.path}/${encodeURIComponent(id)}`;
    return {
      async create(write, clientKey) {
        const body = {
          ...collection.toBody(write),
          singleValueExtendedProperties: [{ id: WRITE_KEY_PROPERTY, value: clientKey }],
        };
        return (await api(collection.path).post(body)) as Item;
      },
      async findTagged(clientKey) {
        const filter = `singleValueExtendedProperties/Any(ep: ep/id eq ${literal(WRITE_KEY_PROPERTY)} and ep/value eq ${literal(clientKey)})`;
        const page = (await api(collection.path).filter(filter).get()) as { value?: Item[] };
        return page.value?.[0];
      },
      async update(write) {
        return (await api(item(write.externalId))
          .header('If-Match', write.baseVersion)
          .patch(collection.toBody(write))) as Item;
      },
      async remove(write) {
        await api(item(write.externalId)).header('If-Match', write.baseVersion).delete();
      },
      async current(id) {
        try {
          return (await api(item(id)).get()) as Item;
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      },
      describe: (found) => ({
        externalId: found.id ?? '',
        version: found['@odata.etag'] ?? null,
        record: collection.map(found),
      }),
    };
  };
  return conditionalWriter<W, Item>(
    scopes,
    { isStale: (error) => statusOf(error) === 412, isGone: (error) => statusOf(error) === 404 },
    calls,
  );
}
