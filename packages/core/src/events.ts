import { z } from 'zod';
import { CONNECTION_STATUSES, PROVIDERS, RESOURCES } from './domain';
import { connectionId } from './jobs';

const base = {
  eventId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
  tenantId: z.string().min(1).max(200),
};

/** Events that arrive on the `connection-events` queue, from CRM services, connect-api and provider webhooks. */
export const connectionEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('connection.connected'),
    connectionId,
    provider: z.enum(PROVIDERS),
    reconnected: z.boolean(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('connection.disconnect_requested'),
    connectionId,
    purge: z.boolean(),
  }),
  // A deletion request (docs/deletion.md): its id when connect-api recorded it first (DELETE /v1/users/…), else
  // the event id names the request, so a redelivered event resumes the same purge instead of starting another.
  z.strictObject({
    ...base,
    type: z.literal('user.deleted'),
    crmUserId: z.string().min(1).max(200),
    deletionRequestId: z.uuid().optional(),
  }),
  z.strictObject({ ...base, type: z.literal('tenant.deleted'), deletionRequestId: z.uuid().optional() }),
  z.strictObject({
    ...base,
    type: z.literal('token.revoked'),
    connectionId,
    source: z.enum(['provider_webhook', 'refresh_failed', 'user']),
  }),
  z.strictObject({
    ...base,
    type: z.literal('sync.requested'),
    connectionId,
    resources: z.array(z.enum(RESOURCES)).min(1).optional(),
    full: z.boolean().default(false),
  }),
]);
export type ConnectionEvent = z.infer<typeof connectionEventSchema>;

/** Notifications crm-sync sends back to the CRM. */
export const crmNotificationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('connection.status_changed'),
    connectionId,
    status: z.enum(CONNECTION_STATUSES),
    reason: z.string().max(500).optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('sync.completed'),
    connectionId,
    resource: z.enum(RESOURCES),
    added: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    deleted: z.number().int().nonnegative(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('connection.expiring'),
    connectionId,
    provider: z.enum(PROVIDERS),
    /** When the provider is known to stop honouring the refresh token, unless the user reconnects before. */
    expiresAt: z.iso.datetime({ offset: true }),
    /** Which documented rule predicts it (docs/providers/*.md), e.g. `idle_refresh_token`. */
    rule: z.string().min(1).max(100),
  }),
]);
export type CrmNotification = z.infer<typeof crmNotificationSchema>;
