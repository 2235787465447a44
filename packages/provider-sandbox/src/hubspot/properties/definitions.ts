import { type Account } from '../../core/types';
import { type ObjectType } from '../schema';

// Property definitions as `GET /crm/v3/properties/{objectType}` lists them (docs/providers/hubspot.md#properties):
// HubSpot's own ones for what the generator fills in, and custom ones the control API defines per account.

/** The data types HubSpot documents, each with a `fieldType` it pairs with. */
export const PROPERTY_TYPES = {
  string: ['text', 'textarea', 'phonenumber', 'html', 'file'],
  number: ['number'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'],
  bool: ['booleancheckbox'],
} as const;

export type PropertyType = keyof typeof PROPERTY_TYPES;

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  hidden: boolean;
  calculated: boolean;
  hubspotDefined: boolean;
  hasUniqueValue: boolean;
  createdAt: number;
}

type Builtin = [
  name: string,
  label: string,
  type: PropertyType,
  fieldType: string,
  extra?: Partial<PropertyDefinition>,
];

const COMMON: Builtin[] = [
  ['createdate', 'Create Date', 'datetime', 'date'],
  ['hs_lastmodifieddate', 'Object last modified date/time', 'datetime', 'date', { calculated: true }],
  ['hs_object_id', 'Record ID', 'number', 'number', { hasUniqueValue: true, calculated: true }],
  ['hubspot_owner_id', 'Owner', 'enumeration', 'select'],
];

const BUILTIN: Record<ObjectType, Builtin[]> = {
  contacts: [
    ['firstname', 'First Name', 'string', 'text'],
    ['lastname', 'Last Name', 'string', 'text'],
    ['email', 'Email', 'string', 'text'],
    // The contact's secondary emails, semicolon-separated (docs/providers/hubspot.md#contact-addresses).
    ['hs_additional_emails', 'Additional email addresses', 'enumeration', 'checkbox'],
    ['company', 'Company Name', 'string', 'text'],
    ['phone', 'Phone Number', 'string', 'phonenumber'],
    ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio'],
    ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', { calculated: true }],
    ...COMMON,
  ],
  companies: [
    ['name', 'Company name', 'string', 'text'],
    ['domain', 'Company Domain Name', 'string', 'text'],
    ['industry', 'Industry', 'enumeration', 'select'],
    ['city', 'City', 'string', 'text'],
    ...COMMON,
  ],
  deals: [
    ['dealname', 'Deal Name', 'string', 'text'],
    ['amount', 'Amount', 'number', 'number'],
    ['dealstage', 'Deal Stage', 'enumeration', 'radio'],
    ['pipeline', 'Pipeline', 'enumeration', 'select'],
    ['closedate', 'Close Date', 'datetime', 'date'],
    ...COMMON,
  ],
};

export const GROUP: Readonly<Record<ObjectType, string>> = {
  contacts: 'contactinformation',
  companies: 'companyinformation',
  deals: 'dealinformation',
};

function builtin(type: ObjectType, since: number): PropertyDefinition[] {
  return BUILTIN[type].map(([name, label, dataType, fieldType, extra]) => ({
    name,
    label,
    type: dataType,
    fieldType,
    groupName: GROUP[type],
    description: '',
    hidden: false,
    calculated: false,
    hubspotDefined: true,
    hasUniqueValue: false,
    createdAt: since,
    ...extra,
  }));
}

export interface PropertyStore {
  /** Every definition of the type: HubSpot's, then the account's custom ones in creation order. */
  list(account: Account, type: ObjectType): PropertyDefinition[];
  /** Adds a custom property; throws when the name is taken (HubSpot answers 409). */
  define(account: Account, type: ObjectType, definition: Omit<PropertyDefinition, 'hubspotDefined'>): void;
}

export class PropertyExistsError extends Error {
  override name = 'PropertyExistsError';
}

export function createPropertyStore(): PropertyStore {
  const custom = new Map<string, PropertyDefinition[]>();
  const key = (account: Account, type: ObjectType) => `${account.id}:${type}`;
  // HubSpot's own properties predate the account's data: dated a year before the account.
  const since = (account: Account) => account.createdAt - 365 * 24 * 3_600_000;
  return {
    list: (account, type) => [...builtin(type, since(account)), ...(custom.get(key(account, type)) ?? [])],
    define(account, type, definition) {
      if (this.list(account, type).some((p) => p.name === definition.name))
        throw new PropertyExistsError(`A property named '${definition.name}' already exists.`);
      const list = custom.get(key(account, type)) ?? [];
      custom.set(key(account, type), [...list, { ...definition, hubspotDefined: false }]);
    },
  };
}
