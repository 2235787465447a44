import { z } from 'zod';

/**
 * Write-back (issue 22, docs/write-back.md): what a CRM service asks crm-sync to create, change or delete in a
 * connected account. One versioned schema, accepted over HTTP (`/v1/connections/{id}/contacts|events`,
 * `…/objects/{objectType}`) and on the `connection-events` queue (`write.requested`), so both paths validate alike.
 * `objects` are CRM objects (HubSpot contacts, companies, deals): the rows the read API serves as `objects`.
 */
export const WRITE_RESOURCES = ['contacts', 'events', 'objects'] as const;
export type WriteResource = (typeof WRITE_RESOURCES)[number];
export const WRITE_OPS = ['create', 'update', 'delete'] as const;
export type WriteOp = (typeof WRITE_OPS)[number];
export const WRITE_STATUSES = ['pending', 'applied', 'conflict', 'refused'] as const;
export type WriteStatus = (typeof WRITE_STATUSES)[number];

/** A control character or half of a surrogate pair: neither belongs in a name, and Postgres refuses NUL. */
const NOT_TEXT = /[\p{Cc}\p{Cs}]/u;
const line = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !NOT_TEXT.test(s), 'must be text without control characters');
/** Descriptions may span lines: tab, LF and CR are allowed, other controls are not. */
const MULTILINE_NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\p{Cs}]/u;
const paragraph = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !MULTILINE_NOT_TEXT.test(s), 'must be text without control characters');

/** A provider's id or version as the CRM got it from crm-sync (never parsed, only handed back). */
export const writeExternalId = line(1024);
export const writeVersion = line(1024);
/** The caller's retry key (header `Idempotency-Key`, or the event's field): printable ASCII, as IETF's draft shows. */
export const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7E]+$/, 'must be 1-255 printable ASCII characters');

const phone = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[+0-9 ()./-]+$/, 'must be a phone number (digits, spaces, + ( ) . / -)');

/** Contact fields, version 1: the fields of the `contacts` table, so a write and a sync describe the same thing. */
export const contactFieldsV1 = z.strictObject({
  givenName: line(200).nullable().optional(),
  familyName: line(200).nullable().optional(),
  emails: z.array(z.email().max(320)).max(10).optional(),
  phones: z.array(phone).max(10).optional(),
  company: line(200).nullable().optional(),
  jobTitle: line(200).nullable().optional(),
});
export type ContactFieldsV1 = z.infer<typeof contactFieldsV1>;

const timed = z.strictObject({ dateTime: z.iso.datetime({ offset: true }) });
const allDay = z.strictObject({ date: z.iso.date() });
/** A start or end: a point in time, or a whole day (both ends of an event must be of the same kind). */
export const eventTime = z.union([timed, allDay]);
const attendee = z.strictObject({ email: z.email().max(320), optional: z.boolean().optional() });

/** Calendar event fields, version 1 (on the account's primary calendar). */
export const eventFieldsV1 = z.strictObject({
  title: line(1024).nullable().optional(),
  description: paragraph(8192).nullable().optional(),
  location: line(1024).nullable().optional(),
  start: eventTime.optional(),
  end: eventTime.optional(),
  attendees: z.array(attendee).max(100).optional(),
});
export type EventFieldsV1 = z.infer<typeof eventFieldsV1>;

const instant = (t: z.infer<typeof eventTime>) =>
  'dateTime' in t ? Date.parse(t.dateTime) : Date.parse(t.date);
const orderedTimes = (f: EventFieldsV1) =>
  f.start === undefined ||
  f.end === undefined ||
  ('date' in f.start === 'date' in f.end && instant(f.end) > instant(f.start));
const timesMessage = { message: 'end must follow start, both times or both dates', path: ['end'] };
const notEmpty = (f: object) => Object.keys(f).length > 0;
const emptyMessage = { message: 'must name at least one field' };

/** The CRM object types a write may name (the `crm_objects` types of docs/read-api.md, owners excepted). */
export const WRITE_OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type WriteObjectType = (typeof WRITE_OBJECT_TYPES)[number];

/**
 * A CRM object's properties as the provider names them, every value a string (null clears it), as `crm_objects`
 * rows hold them. Names are internal property names: lower case letters, digits and underscores, as HubSpot makes
 * them (docs/providers/hubspot.md#object-writes); which names exist is the provider's to say.
 */
export const objectPropertiesV1 = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'must be an internal property name'),
    paragraph(65_536).nullable(),
  )
  .refine((p) => Object.keys(p).length <= 500, 'must name at most 500 properties');
export type ObjectPropertiesV1 = z.infer<typeof objectPropertiesV1>;

/** Who Google tells about an event change (Calendar `sendUpdates`); providers that always notify ignore it. */
export const SEND_UPDATES = ['all', 'externalOnly', 'none'] as const;

const v1 = { schemaVersion: z.literal(1) };

/** The bodies of the HTTP routes: the method names the operation, the path the resource and the item. */
export const WRITE_BODIES = {
  contacts: {
    create: z.strictObject({ ...v1, fields: contactFieldsV1.refine(notEmpty, emptyMessage) }),
    update: z.strictObject({
      ...v1,
      baseVersion: writeVersion,
      fields: contactFieldsV1.refine(notEmpty, emptyMessage),
    }),
    delete: z.strictObject({ ...v1, baseVersion: writeVersion }),
  },
  events: {
    create: z.strictObject({
      ...v1,
      fields: eventFieldsV1.required({ start: true, end: true }).refine(orderedTimes, timesMessage),
      sendUpdates: z.enum(SEND_UPDATES).default('none'),
    }),
    update: z.strictObject({
      ...v1,
      baseVersion: writeVersion,
      fields: eventFieldsV1.refine(notEmpty, emptyMessage).refine(orderedTimes, timesMessage),
      sendUpdates: z.enum(SEND_UPDATES).default('none'),
    }),
    delete: z.strictObject({
      ...v1,
      baseVersion: writeVersion,
      sendUpdates: z.enum(SEND_UPDATES).default('none'),
    }),
  },
  objects: {
    create: z.strictObject({ ...v1, properties: objectPropertiesV1.refine(notEmpty, emptyMessage) }),
    update: z.strictObject({
      ...v1,
      baseVersion: writeVersion,
      properties: objectPropertiesV1.refine(notEmpty, emptyMessage),
    }),
    delete: z.strictObject({ ...v1, baseVersion: writeVersion }),
  },
} as const;

const item = <R extends WriteResource, O extends WriteOp>(resource: R, op: O) => ({
  resource: z.literal(resource),
  op: z.literal(op),
  externalId: writeExternalId,
});

/** An object write names its type besides its item (ids are unique per type only). */
const objectOf = <O extends WriteOp>(op: O) => ({
  resource: z.literal('objects'),
  op: z.literal(op),
  objectType: z.enum(WRITE_OBJECT_TYPES),
});

/** One write, whatever path it came by: the route's body plus what the method and path said. */
export const writeRequestSchema = z.union([
  WRITE_BODIES.contacts.create.extend({ resource: z.literal('contacts'), op: z.literal('create') }),
  WRITE_BODIES.contacts.update.extend(item('contacts', 'update')),
  WRITE_BODIES.contacts.delete.extend(item('contacts', 'delete')),
  WRITE_BODIES.events.create.extend({ resource: z.literal('events'), op: z.literal('create') }),
  WRITE_BODIES.events.update.extend(item('events', 'update')),
  WRITE_BODIES.events.delete.extend(item('events', 'delete')),
  WRITE_BODIES.objects.create.extend(objectOf('create')),
  WRITE_BODIES.objects.update.extend({ ...item('objects', 'update'), ...objectOf('update') }),
  WRITE_BODIES.objects.delete.extend({ ...item('objects', 'delete'), ...objectOf('delete') }),
]);
export type WriteRequest = z.output<typeof writeRequestSchema>;
export type WriteRequestInput = z.input<typeof writeRequestSchema>;
export type ContactWrite = Extract<WriteRequest, { resource: 'contacts' }>;
export type EventWrite = Extract<WriteRequest, { resource: 'events' }>;
export type ObjectWrite = Extract<WriteRequest, { resource: 'objects' }>;
