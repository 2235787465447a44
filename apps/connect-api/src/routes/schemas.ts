import { CONNECTION_STATUSES, PROVIDERS, RESOURCES } from '@crm-sync/core';
import { z } from 'zod';

/** Shapes shared by several routes; each route file declares the rest of its own schema. */
export const tenantId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/);
export const provider = z.enum(PROVIDERS);
export const resource = z.enum(RESOURCES);

export const errorResponse = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

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
});

/** A connection as a service sees it: never a token. */
export const connectionView = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  crmUserId: z.string(),
  provider,
  providerAccountId: z.string(),
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
