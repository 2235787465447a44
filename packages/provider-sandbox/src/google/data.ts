import { mix, pick } from '../core/random';
import { type Account } from '../core/types';

// What the Google generators (gmail/, calendar/, people/) share. Their items are a pure function of (account seed,
// ordinal); base items are dated backwards from account creation, items added later after it.

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
