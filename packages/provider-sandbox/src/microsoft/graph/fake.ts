import { mix, pick } from '../../core/random';
import { type Account } from '../../core/types';
import { type EmailAddress } from './types';

// What the Graph generators share: name pools, people, ids, timestamps and links.

export const GIVEN = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
];
export const FAMILY = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
];
export const DOMAINS = ['contoso.com', 'fabrikam.com', 'northwind.example', 'adventure-works.example'];
export const TOPICS = [
  'Quarterly review',
  'Renewal quote',
  'Onboarding plan',
  'Invoice',
  'Roadmap sync',
  'Support ticket',
];
export const MINUTE = 60_000;

export const INBOX_FOLDER_ID = 'AQMkADAwATNiZmYAZC1inbox';
export const CONTACTS_FOLDER_ID = 'AQMkADAwATNiZmYAZC1contacts';

const RESOURCE_TAGS = { messages: 'M', events: 'E', contacts: 'C' } as const;
type GraphResource = keyof typeof RESOURCE_TAGS;

/** Outlook-looking ids (`AAMkAG…`) that encode the ordinal, so `ordinalOf` needs no lookup. */
function graphIds(resource: GraphResource) {
  const prefix = `AAMkAG${RESOURCE_TAGS[resource]}`;
  return {
    idFor: (account: Account, ordinal: number) =>
      `${prefix}${Buffer.from(`${account.seed.toString(36)}.${ordinal}`).toString('base64url')}`,
    ordinalOf(account: Account, id: string): number | undefined {
      if (!id.startsWith(prefix)) return undefined;
      const [seed, ordinal] = Buffer.from(id.slice(prefix.length), 'base64url').toString().split('.');
      if (seed !== account.seed.toString(36) || ordinal === undefined || !/^\d+$/.test(ordinal))
        return undefined;
      return Number(ordinal);
    },
  };
}

export const IDS = {
  messages: graphIds('messages'),
  events: graphIds('events'),
  contacts: graphIds('contacts'),
};

export function person(seed: number, salt: number): EmailAddress {
  const given = pick(GIVEN, mix(seed, salt));
  const family = pick(FAMILY, mix(seed, salt + 1));
  const domain = pick(DOMAINS, mix(seed, salt + 2));
  return { name: `${given} ${family}`, address: `${given}.${family}@${domain}`.toLowerCase() };
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Control-API edits: only known fields, and only with the type they already have. */
export function applyFields<T extends object>(item: T, fields: Record<string, unknown>, now: number): T {
  const next: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const [key, value] of Object.entries(fields)) {
    // Graph properties are nullable: null replaces a value and a value replaces a null. Extended properties are
    // sandbox bookkeeping (extendedProperties.ts), set by writes.
    const fits = value === null || next[key] === null || typeof value === typeof next[key];
    if ((key in item && fits) || (key === 'extendedProperties' && Array.isArray(value))) next[key] = value;
  }
  next.lastModifiedDateTime = iso(now);
  return next as T;
}

/** Outlook on the web's link to an item (the shape of the documented `webLink` examples). */
export const owaLink = (id: string, path: string) =>
  `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&${path}`;
