import type { ContactFieldsV1, ContactWrite, ResourceWriter } from '@crm-sync/core';
import type { Contact } from '@microsoft/microsoft-graph-types';
import { type GraphAccess } from '../client';
import { MICROSOFT_DESCRIPTOR } from '../descriptor';
import { mapContact } from '../map';
import { graphWriter } from './graphItems';

/**
 * CRM contact fields as Graph contact properties. The CRM's phones are one list: they go to `businessPhones` and
 * the other phone properties are cleared, so the contact reads back (map.ts `mapContact`) as written.
 */
function toContact(f: ContactFieldsV1): Contact {
  return {
    ...('givenName' in f ? { givenName: f.givenName ?? null } : {}),
    ...('familyName' in f ? { surname: f.familyName ?? null } : {}),
    ...(f.emails ? { emailAddresses: f.emails.map((address) => ({ address, name: address })) } : {}),
    ...(f.phones ? { businessPhones: f.phones, mobilePhone: null, homePhones: [] } : {}),
    ...('company' in f ? { companyName: f.company ?? null } : {}),
    ...('jobTitle' in f ? { jobTitle: f.jobTitle ?? null } : {}),
  };
}

/** Outlook contacts in the default folder (`/me/contacts`, the folder the contacts sync reads). */
export function createGraphContactsWriter(access: GraphAccess): ResourceWriter<ContactWrite> {
  return graphWriter<ContactWrite, Contact>(access, MICROSOFT_DESCRIPTOR.writeScopesByResource.contacts, {
    path: '/me/contacts',
    prefer: 'IdType="ImmutableId"',
    toBody: (write) => toContact(write.fields),
    map: mapContact,
  });
}
