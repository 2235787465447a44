import { z } from 'zod';
import { CONNECTION_STATUSES, PROVIDERS, RESOURCES } from './domain';
import { connectionId } from './jobs';
import { idempotencyKey, WRITE_RESOURCES, writeExternalId, writeRequestSchema, writeVersion } from './writes';

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
  // Write-back (docs/write-back.md): a CRM service's write, the same versioned request as the HTTP routes take;
  // the idempotency key plays the `Idempotency-Key` header's part.
  z.strictObject({
    ...base,
    type: z.literal('write.requested'),
    connectionId,
    idempotencyKey,
    write: writeRequestSchema,
  }),
  // Sent by connect-api once it recorded a write it accepted over HTTP: only ids, so no content sits in Redis.
  z.strictObject({ ...base, type: z.literal('write.accepted'), connectionId, writeId: z.uuid() }),
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
  // A write's outcome (docs/write-back.md): `applied` names the provider's id and version now, `conflict` the
  // version the provider holds (already synced into the CRM tables), `refused` why nothing was changed.
  z.strictObject({
    ...base,
    type: z.literal('write.completed'),
    connectionId,
    writeId: z.uuid(),
    resource: z.enum(WRITE_RESOURCES),
    status: z.enum(['applied', 'conflict', 'refused']),
    externalId: writeExternalId.nullable(),
    version: writeVersion.nullable(),
    reason: z.string().max(500).nullable(),
  }),
]);
export type CrmNotification = z.infer<typeof crmNotificationSchema>;
