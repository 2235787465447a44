import { PERSON_FIELDS } from './render';

/** What a written Person sets, in the terms of ContactData (generate.ts `apply`). */
export type ContactFields = Record<string, unknown>;

/** Person fields only People fills in: every other person field may be named by an updatePersonFields mask. */
const READ_ONLY_FIELDS = new Set(['ageRanges', 'coverPhotos', 'metadata', 'photos', 'skills']);

/** Person fields an updatePersonFields mask may name (https://developers.google.com/people/api/rest/v1/people/updateContact). */
export const UPDATE_PERSON_FIELDS = new Set([...PERSON_FIELDS].filter((f) => !READ_ONLY_FIELDS.has(f)));

/** Output-only fields a client may send back unchanged (a Person it read). */
const ECHOED = new Set(['resourceName', 'etag', 'metadata']);

/** Singleton fields of contact sources: more than one value is a 400 (people.createContact, updateContact). */
const SINGLETONS = ['biographies', 'birthdays', 'genders', 'names'];

type Parsed = { ok: true; fields: ContactFields } | { ok: false; message: string };

const list = (person: Record<string, unknown>, key: string): Array<Record<string, unknown>> => {
  const value = person[key];
  return Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [];
};
const textOf = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Reads a Person body as People does for the fields the sandbox keeps (names, emailAddresses, phoneNumbers,
 * organizations, clientData); `only` limits it to an update mask (fields outside it are ignored, as People ignores
 * them). Unknown fields are refused as the JSON transcoder refuses them.
 */
export function parsePerson(body: unknown, only?: Set<string>): Parsed {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, message: 'Invalid JSON payload received. Expected an object.' };
  const person = body as Record<string, unknown>;
  const unknown = Object.keys(person).find((k) => !PERSON_FIELDS.has(k) && !ECHOED.has(k));
  if (unknown)
    return {
      ok: false,
      message: `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`,
    };
  const singleton = SINGLETONS.find((k) => list(person, k).length > 1);
  if (singleton) return { ok: false, message: `Only one ${singleton} field is allowed per contact source.` };
  const wants = (field: string) => only === undefined || only.has(field);
  const fields: ContactFields = {};
  if (wants('names')) {
    const name = list(person, 'names')[0] ?? {};
    fields.givenName = textOf(name.givenName);
    fields.familyName = textOf(name.familyName);
  }
  if (wants('emailAddresses'))
    fields.emails = list(person, 'emailAddresses')
      .map((e) => textOf(e.value))
      .filter(Boolean);
  if (wants('phoneNumbers'))
    fields.phones = list(person, 'phoneNumbers')
      .map((e) => textOf(e.value))
      .filter(Boolean);
  if (wants('organizations')) {
    const organization = list(person, 'organizations')[0] ?? {};
    fields.organization = textOf(organization.name);
    fields.jobTitle = textOf(organization.title);
  }
  if (wants('clientData')) {
    fields.clientData = list(person, 'clientData').map((d) => ({
      key: textOf(d.key),
      value: textOf(d.value),
    }));
  }
  return { ok: true, fields };
}

/** The etag a write names: the person's, or its CONTACT source's in `metadata.sources`. */
export function etagOf(body: unknown): string | undefined {
  const person = body as {
    etag?: unknown;
    metadata?: { sources?: Array<{ type?: unknown; etag?: unknown }> };
  };
  if (typeof person.etag === 'string') return person.etag;
  const source = person.metadata?.sources?.find((s) => s.type === 'CONTACT');
  return typeof source?.etag === 'string' ? source.etag : undefined;
}
