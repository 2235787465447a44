import { type StoredItem } from '../../core/types';
import { type ContactData } from './generate';

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
const resourceName = (data: ContactData) => `people/${data.resourceId}`;

/** The person's sources: its contact, and the Google profile it is linked with. */
function sources(data: ContactData, seq: number, updateTime: string) {
  return [
    { type: 'CONTACT', id: data.contactId, etag: `#${seq}`, updateTime },
    ...(data.profileId === undefined
      ? []
      : [
          {
            type: 'PROFILE',
            id: data.profileId,
            etag: `#p${seq}`,
            profileMetadata: { objectType: 'PERSON', userTypes: ['GOOGLE_USER'] },
          },
        ]),
  ];
}

/** Field metadata names the source a value comes from by type and id. */
const fieldMeta = (data: ContactData, from: 'CONTACT' | 'PROFILE' = 'CONTACT') => ({
  primary: true,
  source:
    from === 'PROFILE' && data.profileId !== undefined
      ? { type: 'PROFILE', id: data.profileId }
      : { type: 'CONTACT', id: data.contactId },
});

const has = (fields: Set<string>, field: string) => fields.has(field);
const emailsOf = (data: ContactData) => data.emails ?? [data.email];
const phonesOf = (data: ContactData) => data.phones ?? [data.phone];

/** The person's etag: changes with every change of the contact (its sequence number in the change log). */
export const personEtag = (seq: number) => etag(seq);

/**
 * A people_v1.Schema$Person limited to the requested personFields. `previousResourceNames` is filled only in sync-token
 * responses (docs/providers/google.md#people-sync); a linked profile's values carry `verified`.
 */
export function renderPerson(
  item: StoredItem<ContactData>,
  fields: Set<string>,
  updateTime: string,
  syncResponse = false,
) {
  const { data, seq } = item;
  const linked = data.profileId !== undefined;
  const displayName = [data.givenName, data.familyName].filter((part) => part !== '').join(' ');
  const previous = data.previousResourceNames.filter((name) => name !== resourceName(data));
  return {
    resourceName: resourceName(data),
    etag: etag(seq),
    ...(has(fields, 'metadata')
      ? {
          metadata: {
            sources: sources(data, seq, updateTime),
            ...(syncResponse && previous.length > 0 ? { previousResourceNames: previous } : {}),
            objectType: 'PERSON',
          },
        }
      : {}),
    ...(has(fields, 'names') && (data.givenName !== '' || data.familyName !== '')
      ? {
          names: [
            {
              metadata: fieldMeta(data, 'PROFILE'),
              displayName,
              familyName: data.familyName,
              givenName: data.givenName,
              displayNameLastFirst: `${data.familyName}, ${data.givenName}`,
              unstructuredName: displayName,
            },
          ],
        }
      : {}),
    ...(has(fields, 'emailAddresses') && emailsOf(data).length > 0
      ? {
          emailAddresses: emailsOf(data).map((value, i) => ({
            metadata: { ...fieldMeta(data), primary: i === 0, ...(linked ? { verified: true } : {}) },
            value,
            type: 'work',
            formattedType: 'Work',
          })),
        }
      : {}),
    ...(has(fields, 'phoneNumbers') && phonesOf(data).length > 0
      ? {
          phoneNumbers: phonesOf(data).map((value, i) => ({
            metadata: { ...fieldMeta(data), primary: i === 0 },
            value,
            canonicalForm: value.replace(/[^+\d]/g, ''),
            type: 'mobile',
            formattedType: 'Mobile',
          })),
        }
      : {}),
    ...(has(fields, 'organizations') && (data.organization !== '' || data.jobTitle !== '')
      ? {
          organizations: [
            {
              metadata: fieldMeta(data),
              ...(data.organization === '' ? {} : { name: data.organization }),
              ...(data.jobTitle === '' ? {} : { title: data.jobTitle }),
            },
          ],
        }
      : {}),
    ...(has(fields, 'clientData') && (data.clientData ?? []).length > 0
      ? { clientData: (data.clientData ?? []).map((d) => ({ metadata: fieldMeta(data), ...d })) }
      : {}),
  };
}

/**
 * Deleted contacts in a sync response: resourceName (the last one it had), etag and metadata.deleted
 * (docs/providers/google.md#people-sync).
 */
export const renderDeleted = (id: string, seq: number, last?: ContactData) => ({
  resourceName: last ? resourceName(last) : `people/${id}`,
  etag: etag(seq),
  metadata: {
    sources: [{ type: 'CONTACT', id: last?.contactId ?? id }],
    deleted: true,
    objectType: 'PERSON',
  },
});
