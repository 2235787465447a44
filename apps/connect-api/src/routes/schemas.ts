import { PURPOSE_PATTERN } from '@crm-sync/config';
import { CONNECTION_STATUSES, PROVIDERS, RESOURCES } from '@crm-sync/core';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE } from '../plugins/httpErrors';

/** Shapes shared by several routes; each route file declares the rest of its own schema. */
export const tenantId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/);
export const provider = z.enum(PROVIDERS);
export const resource = z.enum(RESOURCES);

/** A control character, or half of a surrogate pair standing alone (not Unicode text; u-mode sees it as Cs). */
const NOT_TEXT = /[\p{Cc}\p{Cs}]/u;

/**
 * Free text from a caller (user ids, URLs): well-formed Unicode without control characters (Postgres refuses NUL
 * in text; the others have no business in an id and only confuse logs).
 */
export const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !NOT_TEXT.test(s), 'must be text without control characters');

export const crmUserId = text(200);

/** A list of resources, each at most once (a repeated one would be set up twice in one statement). */
export const resources = z
  .array(resource)
  .min(1)
  .max(5)
  .refine((list) => new Set(list).size === list.length, 'must not repeat a resource');

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
});

/** The one error body of every JSON route, as the OpenAPI document shows it (RFC 9457). */
export const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
});

/** Errors every service route may answer, besides its own. */
export const serviceErrors = {
  400: problemResponse('Invalid request (code `invalid_request`, `invalid_encoding` or route-specific)'),
  401: problemResponse('No valid service bearer token (code `unauthorized`)'),
  403: problemResponse('The service may not act for that tenant (code `forbidden_tenant`)'),
};

/** Errors of routes that take a JSON body. */
export const bodyErrors = {
  413: problemResponse('Body over the size limit (code `payload_too_large`)'),
  415: problemResponse('Body not sent as application/json (code `unsupported_media_type`)'),
};

export const syncStateView = z.object({
  resource,
  enabled: z.boolean(),
  mode: z.string(),
  phase: z.string().nullable(),
  status: z.string(),
  itemsDone: z.number(),
  nextSyncAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
  /** The last completeness audit of the resource; null until one ran. */
  audit: z
    .object({
      at: z.string(),
      missing: z.number().int(),
      ghosts: z.number().int(),
      repaired: z.number().int(),
      fullRoundWanted: z.boolean(),
    })
    .nullable(),
});

/** A connection as a service sees it: never a token. */
export const connectionView = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  crmUserId: z.string(),
  provider,
  providerAccountId: z.string().nullable(),
  email: z.string().nullable(),
  status: z.enum(CONNECTION_STATUSES),
  statusReason: z.string().nullable(),
  resources: z.array(resource),
  requestedScopes: z.array(z.string()),
  grantedScopes: z.array(z.string()),
  authenticatedAt: z.string(),
  createdAt: z.string(),
  disconnectedAt: z.string().nullable(),
});

export const accepted = z.object({ eventId: z.uuid() });

/** Why a service uses a connection through the token broker, as its policy names it (SERVICE_POLICIES). */
export const purpose = z.string().regex(PURPOSE_PATTERN, 'must be 1-64 of a-z 0-9 _ . -');
