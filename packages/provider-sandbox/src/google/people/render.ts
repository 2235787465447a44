import { type StoredItem } from '../../core/types';
import { type ContactData } from '../data';

export const PERSON_FIELDS = new Set([
  'addresses',
  'ageRanges',
  'biographies',
  'birthdays',
  'calendarUrls',
  'clientData',
  'coverPhotos',
  'emailAddresses',
  'events',
  'externalIds',
  'genders',
  'imClients',
  'interests',
  'locales',
  'locations',
  'memberships',
  'metadata',
  'miscKeywords',
  'names',
  'nicknames',
  'occupations',
  'organizations',
  'phoneNumbers',
  'photos',
  'relations',
  'sipAddresses',
  'skills',
  'urls',
  'userDefined',
]);

const etag = (seq: number) => `%Eg${Buffer.from(`sbx${seq}`).toString('base64url')}`;
const source = (id: string, seq: number) => ({
  type: 'CONTACT',
  id,
  etag: `#${seq}`,
  updateTime: new Date(0).toISOString(),
});
const fieldMeta = (id: string, seq: number) => ({
  primary: true,
  source: { type: 'CONTACT', id, etag: `#${seq}` },
});

const has = (fields: Set<string>, field: string) => fields.has(field);

/** A people_v1.Schema$Person limited to the requested personFields. */
export function renderPerson(item: StoredItem<ContactData>, fields: Set<string>, updateTime: string) {
  const { data, id, seq } = item;
  const meta = fieldMeta(id, seq);
  const displayName = `${data.givenName} ${data.familyName}`;
  return {
    resourceName: `people/${id}`,
    etag: etag(seq),
    ...(has(fields, 'metadata')
      ? { metadata: { sources: [{ ...source(id, seq), updateTime }], objectType: 'PERSON' } }
      : {}),
    ...(has(fields, 'names')
      ? {
          names: [
            {
              metadata: meta,
              displayName,
              familyName: data.familyName,
              givenName: data.givenName,
              displayNameLastFirst: `${data.familyName}, ${data.givenName}`,
              unstructuredName: displayName,
            },
          ],
        }
      : {}),
    ...(has(fields, 'emailAddresses')
      ? { emailAddresses: [{ metadata: meta, value: data.email, type: 'work' }] }
      : {}),
    ...(has(fields, 'phoneNumbers')
      ? { phoneNumbers: [{ metadata: meta, value: data.phone, type: 'mobile' }] }
      : {}),
    ...(has(fields, 'organizations') ? { organizations: [{ metadata: meta, name: data.organization }] } : {}),
  };
}

/**
 * Deleted contacts in a sync response: resourceName, etag and metadata.deleted
 * (docs/providers/google.md#people-sync).
 */
export const renderDeleted = (id: string, seq: number) => ({
  resourceName: `people/${id}`,
  etag: etag(seq),
  metadata: { sources: [source(id, seq)], deleted: true, objectType: 'PERSON' },
});
