import { wallToUtc } from '../../core/timeZone';
import { type GraphErrorCode } from './errors';
import { type ExtendedProperty, mergeProperties, parseExtendedProperties } from './extendedProperties';
import { type ContactData, type EventData } from './generate';

/**
 * Reads a contact or event body of a Graph create (POST) or update (PATCH) as Graph does for the properties the
 * sandbox keeps, with Graph's refusals (docs/providers/microsoft.md#contact-and-event-writes). A property the
 * entity does not have is refused as the OData reader refuses it; properties it has but the sandbox does not
 * interpret are kept as sent when their type matches (generate.ts `applyFields`).
 */
export type Parsed =
  { ok: true; fields: Record<string, unknown> } | { ok: false; code: GraphErrorCode; message: string };

type Refusal = Extract<Parsed, { ok: false }>;

const refuse = (code: GraphErrorCode, message: string): Refusal => ({ ok: false, code, message });
const unknownProperty = (name: string, type: string) =>
  refuse(
    'RequestBodyRead',
    `The property '${name}' does not exist on type 'Microsoft.OutlookServices.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
/** Graph's answer to event times it cannot accept (an end before the start, a missing end). */
const validationFailure = () =>
  refuse('ErrorPropertyValidationFailure', 'At least one property failed validation.');

type Body = Record<string, unknown>;
const WRITE_ONLY = new Set(['singleValueExtendedProperties']);

/** The body as an object whose every property the type has (`known`: an item of that type). */
function bodyOf(input: unknown, known: object, type: string): { ok: true; body: Body } | Refusal {
  // The wording for a body that is no object is the sandbox's own.
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return refuse('ErrorInvalidRequest', 'Empty Payload. JSON content expected.');
  const body = input as Body;
  const unknown = Object.keys(body).find(
    (k) => !(k in known) && !WRITE_ONLY.has(k) && !k.startsWith('@odata'),
  );
  return unknown === undefined ? { ok: true, body } : unknownProperty(unknown, type);
}

/** Extended properties a write sets, kept as sandbox bookkeeping (render.ts strips them from items). */
function withExtended(body: Body, fields: Record<string, unknown>, current: object | undefined): Parsed {
  if (!('singleValueExtendedProperties' in body)) return { ok: true, fields };
  const parsed = parseExtendedProperties(body.singleValueExtendedProperties);
  if (typeof parsed === 'string') return refuse('ErrorInvalidRequest', parsed);
  const before =
    (current as { extendedProperties?: ExtendedProperty[] } | undefined)?.extendedProperties ?? [];
  return { ok: true, fields: { ...fields, extendedProperties: mergeProperties(before, parsed) } };
}

/** A contact: `givenName` is required on create (docs/providers/microsoft.md#contact-and-event-writes). */
export function parseContact(
  input: unknown,
  current: ContactData | undefined,
  blank: Partial<ContactData>,
): Parsed {
  const read = bodyOf(input, current ?? blank, 'Contact');
  if (!read.ok) return read;
  const { body } = read;
  if (!current && (typeof body.givenName !== 'string' || body.givenName === ''))
    return refuse('ErrorInvalidProperty', "The property 'GivenName' is required when creating the entity.");
  const fields: Record<string, unknown> = { ...body };
  delete fields.singleValueExtendedProperties;
  if ('givenName' in body || 'surname' in body) {
    const given = 'givenName' in body ? body.givenName : current?.givenName;
    const family = 'surname' in body ? body.surname : current?.surname;
    // Outlook files a contact under its name when none is given.
    fields.displayName = [given, family].filter((p) => typeof p === 'string' && p !== '').join(' ');
  }
  return withExtended(body, fields, current);
}

const UTC_STAMP = (ms: number) => new Date(ms).toISOString().replace('Z', '0000');

/** A `dateTimeTimeZone` as the instant it names; the sandbox reads IANA zones and UTC only. */
function instantOf(value: unknown): number | undefined {
  const time = value as { dateTime?: unknown; timeZone?: unknown } | undefined;
  if (typeof time?.dateTime !== 'string') return undefined;
  const zone = typeof time.timeZone === 'string' ? time.timeZone : 'UTC';
  const local = time.dateTime.replace(/(Z|[+-]\d\d:\d\d)$/, '');
  const wall = Date.parse(`${local}Z`);
  if (Number.isNaN(wall)) return undefined;
  try {
    return zone === 'UTC' ? wall : wallToUtc(zone, wall);
  } catch {
    return undefined;
  }
}

/**
 * An event: start and end are required on create and the end may not precede the start (Graph answers
 * ErrorPropertyValidationFailure); times are stored in UTC, as Graph serves them with `outlook.timezone="UTC"`.
 */
export function parseEvent(
  input: unknown,
  current: EventData | undefined,
  blank: Partial<EventData>,
): Parsed {
  const read = bodyOf(input, current ?? blank, 'Event');
  if (!read.ok) return read;
  const { body } = read;
  const start = 'start' in body ? instantOf(body.start) : instantOf(current?.start);
  const end = 'end' in body ? instantOf(body.end) : instantOf(current?.end);
  if (start === undefined || end === undefined || end < start) return validationFailure();
  const fields: Record<string, unknown> = { ...body };
  delete fields.singleValueExtendedProperties;
  fields.start = { dateTime: UTC_STAMP(start), timeZone: 'UTC' };
  fields.end = { dateTime: UTC_STAMP(end), timeZone: 'UTC' };
  if ('location' in body) {
    const name = (body.location as { displayName?: unknown } | null)?.displayName;
    fields.location = {
      displayName: typeof name === 'string' ? name : '',
      locationType: 'default',
      uniqueIdType: 'unknown',
    };
  }
  if ('body' in body) {
    const content = (body.body as { content?: unknown } | null)?.content;
    const text = typeof content === 'string' ? content : '';
    fields.body = { contentType: 'text', content: text };
    fields.bodyPreview = text.slice(0, 255);
  }
  if ('attendees' in body) {
    const list = Array.isArray(body.attendees) ? (body.attendees as Array<Record<string, unknown>>) : [];
    fields.attendees = list.map((a) => {
      const address = (a.emailAddress as { address?: unknown; name?: unknown } | undefined) ?? {};
      return {
        type: a.type === 'optional' ? 'optional' : 'required',
        status: { response: 'none', time: '0001-01-01T00:00:00Z' },
        emailAddress: {
          name: String(address.name ?? address.address ?? ''),
          address: String(address.address ?? ''),
        },
      };
    });
  }
  return withExtended(body, fields, current);
}
