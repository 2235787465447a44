/**
 * The three CRM object types the sandbox serves, with the properties each has, the ones a request
 * without `properties` gets back, and the property incremental syncs filter on (contacts
 * `lastmodifieddate`, the others `hs_lastmodifieddate`;
 * docs/providers/hubspot.md#last-modified-properties).
 */
export const OBJECT_TYPES = {
  contacts: {
    resource: 'contacts',
    idBase: 1_000_000,
    modifiedProperty: 'lastmodifieddate',
    defaults: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    searchable: ['firstname', 'lastname', 'email', 'company'],
  },
  companies: {
    resource: 'companies',
    idBase: 2_000_000,
    modifiedProperty: 'hs_lastmodifieddate',
    defaults: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    searchable: ['name', 'domain'],
  },
  deals: {
    resource: 'deals',
    idBase: 3_000_000,
    modifiedProperty: 'hs_lastmodifieddate',
    defaults: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    searchable: ['dealname'],
  },
} as const;

export type ObjectType = keyof typeof OBJECT_TYPES;
export type ObjectSchema = (typeof OBJECT_TYPES)[ObjectType];

export function objectType(name: string): ObjectType | undefined {
  return Object.hasOwn(OBJECT_TYPES, name) ? (name as ObjectType) : undefined;
}

/** Properties holding timestamps; filters compare them as instants (epoch ms or ISO values). */
export const DATE_PROPERTIES: ReadonlySet<string> = new Set([
  'createdate',
  'lastmodifieddate',
  'hs_lastmodifieddate',
  'closedate',
]);

/** Names the CRM paths accept for a type: plural, singular and the object type id (`0-1`, `0-2`, `0-3`). */
const TYPE_ALIASES: Readonly<Record<string, ObjectType>> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
};

/** The type a v4 associations or properties path names, in any of HubSpot's spellings. */
export function objectTypeAlias(name: string): ObjectType | undefined {
  return Object.hasOwn(TYPE_ALIASES, name.toLowerCase()) ? TYPE_ALIASES[name.toLowerCase()] : undefined;
}

/** The singular HubSpot uses in messages ("No company is associated with contact 1."). */
export const SINGULAR: Readonly<Record<ObjectType, string>> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
};
