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
  source: { type: 'CONTACT', id: id, etag: `#${seq}` },
});

/** A people_v1.Schema$Person limited to the requested personFields. */
export function renderPerson(item: StoredItem<ContactData>, fields: Set<string>, updateTime: string) {
  const { data, id, seq } = item;
  const person: Record<string, unknown> = { resourceName: `people/${id}`, etag: etag(seq) };
  if (fields.has('metadata')) {
    person.metadata = { sources: [{ ...source(id, seq), updateTime }], objectType: 'PERSON' };
  }
  if (fields.has('names')) {
    person.names = [
      {
        metadata: fieldMeta(id, seq),
        displayName: `${data.givenName} ${data.familyName}`,
        familyName: data.familyName,
        givenName: data.givenName,
        displayNameLastFirst: `${data.familyName}, ${data.givenName}`,
        unstructuredName: `${data.givenName} ${data.familyName}`,
      },
    ];
  }
  if (fields.has('emailAddresses'))
    person.emailAddresses = [{ metadata: fieldMeta(id, seq), value: data.email, type: 'work' }];
  if (fields.has('phoneNumbers'))
    person.phoneNumbers = [{ metadata: fieldMeta(id, seq), value: data.phone, type: 'mobile' }];
  if (fields.has('organizations'))
    person.organizations = [{ metadata: fieldMeta(id, seq), name: data.organization }];
  return person;
}

/** Deleted contacts in a sync response: resourceName, etag and metadata.deleted (§D). */
export const renderDeleted = (id: string, seq: number) => ({
  resourceName: `people/${id}`,
  etag: etag(seq),
  metadata: { sources: [source(id, seq)], deleted: true, objectType: 'PERSON' },
});
