import { mix, pick } from '../core/random';
import { type Account, type ResourceGenerator } from '../core/types';

// Deterministic Google items: a pure function of (account seed, ordinal). Base items are dated
// backwards from account creation; items added later are dated after it.

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Frances', 'Edsger'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Liskov',
  'Thompson',
  'Hamilton',
  'Ritchie',
  'Allen',
];
export const TOPICS = [
  'Quarterly review',
  'Invoice',
  'Lunch?',
  'Contract draft',
  'Roadmap',
  'Intro call',
  'Renewal',
];
const DOMAINS = ['example.com', 'example.org', 'acme.test', 'globex.test'];

const prefix = (account: Account, salt: number) =>
  (mix(account.seed, salt) >>> 4).toString(16).padStart(7, '0');

/** Ids shaped `<seeded prefix><hex ordinal>`, lowercase hex, so both Gmail and Calendar accept them. */
export function hexIds(salt: number) {
  return {
    idFor: (account: Account, ordinal: number) =>
      `${prefix(account, salt)}${ordinal.toString(16).padStart(9, '0')}`,
    ordinalOf(account: Account, id: string) {
      const head = prefix(account, salt);
      if (!id.startsWith(head) || !/^[0-9a-f]{9}$/.test(id.slice(head.length))) return undefined;
      return Number.parseInt(id.slice(head.length), 16);
    },
  };
}

/** Time of an item: base items a fixed step apart before creation, added items after it. */
export function itemTime(account: Account, ordinal: number, size: number, stepMs: number): number {
  return ordinal < size
    ? account.createdAt - (size - ordinal) * stepMs
    : account.createdAt + (ordinal - size + 1) * 1000;
}

export const person = (seed: number, ordinal: number) => {
  const first = pick(FIRST, mix(seed, ordinal * 3));
  const last = pick(LAST, mix(seed, ordinal * 3 + 1));
  const domain = pick(DOMAINS, mix(seed, ordinal * 3 + 2));
  return { first, last, email: `${first}.${last}${ordinal}@${domain}`.toLowerCase() };
};

export const str = (fields: Record<string, unknown>, key: string, fallback: string) =>
  typeof fields[key] === 'string' ? (fields[key] as string) : fallback;
export const num = (fields: Record<string, unknown>, key: string, fallback: number) =>
  typeof fields[key] === 'number' ? (fields[key] as number) : fallback;

export interface CalendarEventData {
  summary: string;
  description: string;
  start: number;
  end: number;
  created: number;
  updated: number;
  attendees: string[];
}

export const calendarEvents: ResourceGenerator<CalendarEventData> = {
  provider: 'google',
  resource: 'events',
  ...hexIds(22),
  make(account, ordinal, size) {
    const created = itemTime(account, ordinal, size, 3_600_000);
    // Events sit between a month before and a month after account creation.
    const start = account.createdAt + ((mix(account.seed, ordinal + 11) % 1440) - 720) * 3_600_000;
    const other = person(account.seed, ordinal + 100_000);
    return {
      summary: `${pick(TOPICS, mix(account.seed, ordinal + 3))} with ${other.first}`,
      description: `Agenda item ${ordinal}`,
      start,
      end: start + (1 + (mix(account.seed, ordinal + 5) % 4)) * 1_800_000,
      created,
      updated: created,
      attendees: [account.email, other.email],
    };
  },
  apply: (item, fields, _account, now) => ({
    ...item,
    summary: str(fields, 'summary', item.summary),
    description: str(fields, 'description', item.description),
    start: num(fields, 'start', item.start),
    end: num(fields, 'end', item.end),
    attendees: Array.isArray(fields.attendees) ? fields.attendees.map(String) : item.attendees,
    updated: now,
  }),
};

export interface ContactData {
  givenName: string;
  familyName: string;
  email: string;
  phone: string;
  organization: string;
}

export const peopleContacts: ResourceGenerator<ContactData> = {
  provider: 'google',
  resource: 'contacts',
  idFor: (account, ordinal) =>
    `c${(mix(account.seed, 23) % 900_000) + 100_000}${String(ordinal).padStart(10, '0')}`,
  ordinalOf(account, id) {
    const head = `c${(mix(account.seed, 23) % 900_000) + 100_000}`;
    const rest = id.slice(head.length);
    return id.startsWith(head) && /^\d{10}$/.test(rest) ? Number(rest) : undefined;
  },
  make(account, ordinal) {
    const p = person(account.seed, ordinal + 200_000);
    return {
      givenName: p.first,
      familyName: p.last,
      email: p.email,
      phone: `+1 555 ${String(mix(account.seed, ordinal + 9) % 10_000_000).padStart(7, '0')}`,
      organization: pick(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'], mix(account.seed, ordinal + 13)),
    };
  },
  apply: (item, fields) => ({
    givenName: str(fields, 'givenName', item.givenName),
    familyName: str(fields, 'familyName', item.familyName),
    email: str(fields, 'email', item.email),
    phone: str(fields, 'phone', item.phone),
    organization: str(fields, 'organization', item.organization),
  }),
};
