import { hashString, mix, pick } from '../../core/random';
import { type Account, type ResourceGenerator } from '../../core/types';
import { person, str } from '../data';

export interface ContactData {
  givenName: string;
  familyName: string;
  email: string;
  phone: string;
  organization: string;
  jobTitle: string;
  /** The contact's own id (`c…`), which its CONTACT source keeps whatever its resource name. */
  contactId: string;
  /** The resource name's id now; it changes when the contact is linked to a Google profile or unlinked. */
  resourceId: string;
  /** Former resource names, oldest first (`metadata.previousResourceNames`). */
  previousResourceNames: string[];
  /** The Google profile the contact is linked (merged) with. */
  profileId?: string;
  /**
   * Written contacts (people.createContact / updateContact) hold lists; generated ones the single values above.
   * `clientData` is the app's own key-value data, kept with the contact (Person.clientData).
   */
  emails?: string[];
  phones?: string[];
  clientData?: Array<{ key: string; value: string }>;
}

const contactHead = (account: Account) => `c${(mix(account.seed, 23) % 900_000) + 100_000}`;
/** Profile ids are decimal, 21 digits, like Google account ids. */
const profileIdOf = (contactId: string) =>
  `1${String(hashString(contactId)).padStart(10, '0')}${String(mix(hashString(contactId), 1)).padStart(10, '0')}`;

/** A new resource name for the contact, the old one remembered (People API PersonMetadata.previousResourceNames). */
function renamed(item: ContactData, resourceId: string, profileId: string | undefined): ContactData {
  const { profileId: _linked, ...rest } = item;
  return {
    ...rest,
    resourceId,
    previousResourceNames: [...item.previousResourceNames, `people/${item.resourceId}`],
    ...(profileId === undefined ? {} : { profileId }),
  };
}

/**
 * Deterministic People contacts. The control API's `linkProfile: true` merges a contact with a Google profile (a
 * second source, a new resource name) and `linkProfile: false` unlinks it (its contact resource name comes back),
 * as https://developers.google.com/people/api/rest/v1/people#personmetadata describes.
 */
export const peopleContacts: ResourceGenerator<ContactData> = {
  provider: 'google',
  resource: 'contacts',
  idFor: (account, ordinal) => `${contactHead(account)}${String(ordinal).padStart(10, '0')}`,
  ordinalOf(account, id) {
    const head = contactHead(account);
    const rest = id.slice(head.length);
    return id.startsWith(head) && /^\d{10}$/.test(rest) ? Number(rest) : undefined;
  },
  make(account, ordinal) {
    const p = person(account.seed, ordinal + 200_000);
    const contactId = peopleContacts.idFor(account, ordinal);
    return {
      givenName: p.first,
      familyName: p.last,
      email: p.email,
      phone: `+1 555 ${String(mix(account.seed, ordinal + 9) % 10_000_000).padStart(7, '0')}`,
      organization: pick(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'], mix(account.seed, ordinal + 13)),
      jobTitle: pick(['Buyer', 'CTO', 'Engineer', 'Account Manager'], mix(account.seed, ordinal + 15)),
      contactId,
      resourceId: contactId,
      previousResourceNames: [],
    };
  },
  apply(item, fields) {
    const edited = {
      ...item,
      givenName: str(fields, 'givenName', item.givenName),
      familyName: str(fields, 'familyName', item.familyName),
      email: str(fields, 'email', item.email),
      phone: str(fields, 'phone', item.phone),
      organization: str(fields, 'organization', item.organization),
      jobTitle: str(fields, 'jobTitle', item.jobTitle),
      ...(Array.isArray(fields.emails) ? { emails: fields.emails as string[] } : {}),
      ...(Array.isArray(fields.phones) ? { phones: fields.phones as string[] } : {}),
      ...(Array.isArray(fields.clientData)
        ? { clientData: fields.clientData as Array<{ key: string; value: string }> }
        : {}),
    };
    if (fields.linkProfile === true && item.profileId === undefined) {
      const profileId = profileIdOf(item.contactId);
      return renamed(edited, profileId, profileId);
    }
    if (fields.linkProfile === false && item.profileId !== undefined)
      return renamed(edited, item.contactId, undefined);
    return edited;
  },
};
