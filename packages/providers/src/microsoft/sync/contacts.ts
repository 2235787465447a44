import { type ResourceSyncer } from '@crm-sync/core';
import type { Contact } from '@microsoft/microsoft-graph-types';
import { type GraphAccess } from '../client';
import { CONTACT_FIELDS, mapContact } from '../map';
import { type DeltaOptions, deltaSyncer, type FirstRequest } from './delta';
import { graphIdPass } from './idPass';

/** The default contacts folder (`contacts` → `contacts`); there is no window, every contact counts. */
export const CONTACTS_FIRST_REQUEST: FirstRequest = { path: '/me/contacts/delta', select: CONTACT_FIELDS };

export function createContactsSyncer(access: GraphAccess, options: DeltaOptions): ResourceSyncer<'contacts'> {
  const syncer = deltaSyncer<'contacts', Contact>(
    { resource: 'contacts', table: 'contacts', firstRequest: () => CONTACTS_FIRST_REQUEST, map: mapContact },
    access,
    options,
  );
  // The full round's listing with no field but the id, which Graph always returns.
  const listings = () => Promise.resolve([{ path: CONTACTS_FIRST_REQUEST.path, select: ['id'] }]);
  return { ...syncer, listIds: graphIdPass({ resource: 'contacts', listings }, access, options) };
}
