import { randomUUID } from 'node:crypto';
import { writeAudit } from '@crm-sync/connections';
import type { Resource } from '@crm-sync/core';
import { QUEUE_NAMES, type JobProducer } from '@crm-sync/queue';
import type { CredentialStore } from '@crm-sync/vault';
import type { DataSource } from 'typeorm';

export interface RevocationInput {
  connectionId: string;
  tenantId: string;
  /** The resource whose sync found out; recorded in the audit trail. */
  resource: Resource;
  /** Provider error code such as invalid_grant; never a token. */
  reason: string;
  now: Date;
}

/**
 * The revocation pipeline, run when the provider says the grant is gone. In one transaction: the connection
 * needs re-auth, its credentials are deleted (not blanked), every resource stops, the audit trail records it.
 * Only the caller that flips the status from `active` does this, so concurrent slices of the same connection
 * finding out together notify the CRM once. The notification follows the commit.
 */
export async function revokeConnection(
  deps: { db: DataSource; credentials: CredentialStore; producer: JobProducer },
  input: RevocationInput,
): Promise<boolean> {
  const statusReason = `token revoked at the provider (${input.reason})`.slice(0, 500);
  const changed = await deps.db.transaction(async (manager) => {
    const [flipped] = (await manager.query(
      `UPDATE connections SET status = 'needs_reauth', status_reason = $2, updated_at = now()
        WHERE id = $1 AND status = 'active' RETURNING id`,
      [input.connectionId, statusReason],
    )) as [unknown[], number];
    if (flipped.length === 0) return false;
    await deps.credentials.withManager(manager).delete(input.connectionId);
    await manager.query(
      `UPDATE sync_states SET enabled = false, status = 'disabled', disabled_reason = 'auth revoked',
              continuation = NULL, next_sync_at = NULL, last_error = $2, last_error_at = $3, updated_at = now()
        WHERE connection_id = $1`,
      [input.connectionId, `auth_revoked: ${input.reason}`.slice(0, 500), input.now],
    );
    await writeAudit(manager, {
      connectionId: input.connectionId,
      tenantId: input.tenantId,
      type: 'token_revoked',
      actor: 'provider',
      details: { resource: input.resource, reason: input.reason, detectedBy: 'sync' },
    });
    return true;
  });
  if (!changed) return false;
  const eventId = randomUUID();
  await deps.producer.enqueue(
    QUEUE_NAMES.crmNotifications,
    'connection.status_changed',
    {
      type: 'connection.status_changed',
      eventId,
      occurredAt: input.now.toISOString(),
      tenantId: input.tenantId,
      connectionId: input.connectionId,
      status: 'needs_reauth',
      reason: statusReason,
    },
    { jobId: eventId },
  );
  return true;
}
