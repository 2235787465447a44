import { type ResourceSyncer } from '@crm-sync/core';
import { type GoogleApiOptions } from '../client';
import { GOOGLE_FIELDS } from '../fields';
import { isDeletedPerson, mapPerson, PERSON_FIELDS, replacedResourceNames } from '../map';
import { googleIdPass, idsOf } from './idPass';
import { syncTokenSyncer } from './syncTokenRound';

/**
 * People (`contacts` → `contacts`), people.connections.list of `people/me` (docs/providers/google.md#people-sync).
 * Every call asks for a sync token, incremental ones too, or the last page would not hand out the next one. A contact
 * has no date to window by, so a full round takes them all.
 */
export function createContactsSyncer(
  api: GoogleApiOptions,
  options: { pageSize: number },
): ResourceSyncer<'contacts'> {
  const syncer = syncTokenSyncer(
    {
      resource: 'contacts',
      table: 'contacts',
      fullParams: () => ({}),
      async list(apis, query) {
        const { data } = await apis.people.people.connections.list({
          resourceName: 'people/me',
          personFields: PERSON_FIELDS,
          pageSize: options.pageSize,
          requestSyncToken: true,
          fields: GOOGLE_FIELDS.connections,
          ...(query.syncToken ? { syncToken: query.syncToken } : {}),
          ...(query.pageToken ? { pageToken: query.pageToken } : {}),
        });
        return {
          items: data.connections ?? [],
          nextPageToken: data.nextPageToken,
          nextSyncToken: data.nextSyncToken,
        };
      },
      deletedId: (person) => (isDeletedPerson(person) ? (person.resourceName ?? undefined) : undefined),
      map: mapPerson,
      replacedIds: replacedResourceNames,
    },
    api,
  );
  // Every connection by resource name; `metadata` is the smallest person field mask and says whether it was deleted.
  const listIds = googleIdPass(
    {
      resource: 'contacts',
      params: () => ({}),
      async list(apis, _params, pageToken) {
        const { data } = await apis.people.people.connections.list({
          resourceName: 'people/me',
          personFields: 'metadata',
          pageSize: options.pageSize,
          fields: 'connections(resourceName,metadata/deleted),nextPageToken',
          ...(pageToken ? { pageToken } : {}),
        });
        const live = (data.connections ?? []).filter((person) => !isDeletedPerson(person));
        return { ids: idsOf(live, (person) => person.resourceName), nextPageToken: data.nextPageToken };
      },
    },
    api,
  );
  return { ...syncer, listIds };
}
