import { mix, pick } from '../core/random';
import { type Account, type ResourceGenerator } from '../core/types';
import { OWNER_COUNT, ownerId } from './owners/owners';
import { OBJECT_TYPES, type ObjectSchema, type ObjectType } from './schema';

/** Stored form of a CRM object; `hs_object_id` and the timestamps are rendered into properties. */
export interface HubSpotData {
  properties: Record<string, string | null>;
  createdAt: number;
  updatedAt: number;
  /** Set when archived (HubSpot's soft delete); archived objects leave lists and search. */
  archivedAt: number | null;
}

const FIRST = [
  'Maya',
  'Liam',
  'Noor',
  'Oskar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tariq',
  'Uma',
  'Vera',
  'Wen',
];
const LAST = [
  'Okafor',
  'Lindqvist',
  'Haddad',
  'Nakamura',
  'Moreau',
  'Silva',
  'Kowalski',
  'Brennan',
  'Iyer',
  'Zhang',
];
const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
];
const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'RETAIL',
  'FINANCIAL_SERVICES',
  'HOSPITAL_HEALTH_CARE',
  'LOGISTICS_AND_SUPPLY_CHAIN',
];
const STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'contractsent',
  'closedwon',
  'closedlost',
];
const MINUTE = 60_000;

function contactProperties(seed: number, ordinal: number): Record<string, string | null> {
  const first = pick(FIRST, mix(seed, 1));
  const last = pick(LAST, mix(seed, 2));
  const company = pick(WORDS, mix(seed, 3));
  return {
    firstname: first,
    lastname: last,
    email: `${first}.${last}.${ordinal}@${company}.example`.toLowerCase(),
    company,
    phone: seed % 4 === 0 ? null : `+1 617 555 ${String(seed % 10_000).padStart(4, '0')}`,
    lifecyclestage: pick(['lead', 'marketingqualifiedlead', 'customer'], seed),
    // Some contacts have secondary addresses, semicolon-separated as HubSpot stores them
    // (docs/providers/hubspot.md#contact-addresses).
    hs_additional_emails:
      seed % 3 === 0
        ? `${first}@${pick(WORDS, mix(seed, 5))}.example;${first}.${last}.${ordinal}@home.example`.toLowerCase()
        : null,
  };
}

function companyProperties(seed: number, ordinal: number): Record<string, string | null> {
  const word = pick(WORDS, seed);
  return {
    name: `${word} ${ordinal}`,
    domain: `${word}${ordinal}.example`.toLowerCase(),
    industry: pick(INDUSTRIES, mix(seed, 1)),
    city: pick(['Boston', 'Dublin', 'Berlin', 'Singapore', 'Sydney'], mix(seed, 2)),
  };
}

function dealProperties(seed: number, ordinal: number, createdAt: number): Record<string, string | null> {
  return {
    dealname: `${pick(WORDS, seed)} renewal ${ordinal}`,
    amount: String(((seed % 500) + 1) * 100),
    dealstage: pick(STAGES, mix(seed, 1)),
    pipeline: 'default',
    closedate: new Date(createdAt + (seed % 90) * 24 * 60 * MINUTE).toISOString(),
  };
}

function makeFor(type: ObjectType) {
  return (account: Account, ordinal: number, size: number): HubSpotData => {
    const seed = mix(account.seed, ordinal + OBJECT_TYPES[type].idBase);
    // Older ordinals are older; each was last modified a seeded while after creation.
    const createdAt = account.createdAt - (size - ordinal + 1) * 37 * MINUTE;
    const updatedAt = Math.min(createdAt + (seed % (36 * 60)) * MINUTE, account.createdAt - 1000);
    const properties =
      type === 'contacts'
        ? contactProperties(seed, ordinal)
        : type === 'companies'
          ? companyProperties(seed, ordinal)
          : dealProperties(seed, ordinal, createdAt);
    // Most records have an owner (an id from GET /crm/v3/owners); some are unassigned.
    properties.hubspot_owner_id = seed % 5 === 0 ? null : ownerId(account, mix(seed, 4) % OWNER_COUNT);
    return { properties, createdAt, updatedAt: Math.max(updatedAt, createdAt), archivedAt: null };
  };
}

/**
 * Control-API edits: string values set properties, `archived: true|false` archives or restores, a numeric
 * `createdAt` dates the object's creation.
 * Every edit moves `updatedAt` (and so the last-modified property) to now.
 */
function applyFields(item: HubSpotData, fields: Record<string, unknown>, now: number): HubSpotData {
  const properties = { ...item.properties };
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' || value === null) properties[key] = value;
  }
  const archived = fields.archived;
  const archivedAt = typeof archived === 'boolean' ? (archived ? now : null) : item.archivedAt;
  // An object the API creates is dated by its creation (crm/objectWrites.ts), not by its ordinal.
  const createdAt = typeof fields.createdAt === 'number' ? fields.createdAt : item.createdAt;
  return { ...item, properties, createdAt, updatedAt: now, archivedAt };
}

function generator(schema: ObjectSchema, type: ObjectType): ResourceGenerator<HubSpotData> {
  return {
    provider: 'hubspot',
    resource: schema.resource,
    idFor: (_account, ordinal) => String(schema.idBase + ordinal + 1),
    ordinalOf(_account, id) {
      if (!/^\d+$/.test(id)) return undefined;
      const ordinal = Number(id) - schema.idBase - 1;
      return ordinal >= 0 && ordinal < 1_000_000 ? ordinal : undefined;
    },
    make: makeFor(type),
    apply: (item, fields, _account, now) => applyFields(item, fields, now),
  };
}

export type HubSpotGenerators = Record<ObjectType, ResourceGenerator<HubSpotData>>;

export function hubspotGenerators(): HubSpotGenerators {
  return {
    contacts: generator(OBJECT_TYPES.contacts, 'contacts'),
    companies: generator(OBJECT_TYPES.companies, 'companies'),
    deals: generator(OBJECT_TYPES.deals, 'deals'),
  };
}
