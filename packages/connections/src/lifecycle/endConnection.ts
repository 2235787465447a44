import type { AuditEventType, ConnectionEvent, ConnectionStatus } from '@crm-sync/core';
import type { JsonObject } from '@crm-sync/db';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { syncStates } from '@crm-sync/sync-states';
import type { CredentialStore } from '@crm-sync/vault';
import type { DataSource, EntityManager } from 'typeorm';
import { writeAudit } from '../audit';
import type { ConnectionGenerations } from '../generations';
import { forgetChannelsOf, type PushChannelRow } from '../push/channels';

export interface EndConnectionInput {
  connectionId: string;
  status: Exclude<ConnectionStatus, 'active'>;
  reason: string;
  audit: { type: AuditEventType; actor: string; details?: JsonObject };
  now?: Date;
}

/** A revoked grant (`token.revoked`, or a provider's notice taken at connect-api) as `endConnection` records it. */
export function revocation(
  connectionId: string,
  source: Extract<ConnectionEvent, { type: 'token.revoked' }>['source'],
): EndConnectionInput {
  return {
    connectionId,
    status: 'revoked',
    reason: `grant revoked (${source})`,
    audit: { type: 'token_revoked', actor: source === 'user' ? 'user' : 'provider', details: { source } },
  };
}

export interface EndConnectionDeps {
  db: DataSource;
  credentials: CredentialStore;
  /** Announces the change to connect-api's proxy, which keeps connection rows in memory (generations.ts). */
  generations: ConnectionGenerations;
}

/**
 * Stops a connection for good or until re-consent: in one transaction its status changes, its credentials are
 * deleted (not blanked), every resource stops, the audit trail records why and the CRM's notification is
 * recorded in the outbox, so it goes out exactly when the change is committed. Only the caller that actually
 * changes the status does this, so a repeated event (queues deliver at least once) neither audits nor notifies
 * twice. Returns whether it changed anything.
 */
export async function endConnection(deps: EndConnectionDeps, input: EndConnectionInput): Promise<boolean> {
  return deps.db.transaction((manager) => endConnectionIn(manager, deps, input));
}

/** `endConnection` inside the caller's transaction (a provider notice ends the connection with its replay claim). */
export async function endConnectionIn(
  manager: EntityManager,
  deps: Pick<EndConnectionDeps, 'credentials' | 'generations'>,
  input: EndConnectionInput,
): Promise<boolean> {
  const now = input.now ?? new Date();
  const reason = input.reason.slice(0, 500);
  // TypeORM answers UPDATE ... RETURNING with [rows, affected].
  const [rows] = (await manager.query(
    `UPDATE connections SET status = $2, status_reason = $3, updated_at = now(),
            disconnected_at = CASE WHEN $2 = 'disconnected' THEN $4 ELSE disconnected_at END,
            -- Retention (docs/deletion.md) runs from when the connection ended for good, not from needs_reauth.
            ended_at = CASE WHEN $2 IN ('disconnected', 'revoked') THEN COALESCE(ended_at, $4) ELSE ended_at END
      WHERE id = $1 AND status <> $2 AND status <> 'disconnected'
        -- A sync that finds the credentials gone after a revocation notice must not turn revoked into needs_reauth.
        AND NOT (status = 'revoked' AND $2 = 'needs_reauth')
      RETURNING tenant_id`,
    [input.connectionId, input.status, reason, now],
  )) as [Array<{ tenant_id: string }>, number];
  const tenantId = rows[0]?.tenant_id;
  if (tenantId === undefined) return false;
  // After the UPDATE, before the commit: see ConnectionGenerations for why this order refuses the next proxy call.
  await deps.generations.bump(input.connectionId);
  await deps.credentials.withManager(manager).delete(input.connectionId);
  await syncStates.disableConnection(manager, input.connectionId, reason);
  const lapsing = await forgetChannelsOf(manager, input.connectionId);
  await writeAudit(manager, {
    connectionId: input.connectionId,
    tenantId,
    ...input.audit,
    details: { ...input.audit.details, ...lapseRecord(lapsing) },
  });
  await publishInTransaction(
    manager,
    QUEUE_NAMES.crmNotifications,
    {
      type: 'connection.status_changed',
      tenantId,
      connectionId: input.connectionId,
      status: input.status,
      reason,
    },
    now,
  );
  return true;
}

/**
 * The push channels an ending could not stop at the provider (its grant was already dead: a revocation, a refused
 * refresh; or the provider failed the stop), for the audit: each keeps pushing notices that name no channel of ours
 * until it lapses at `lapsesAt` (docs/push.md).
 */
function lapseRecord(lapsing: PushChannelRow[]): JsonObject {
  if (lapsing.length === 0) return {};
  return {
    channelsLapsing: lapsing.map((c) => ({
      provider: c.provider,
      resource: c.resource,
      lapsesAt: c.expiresAt.toISOString(),
    })),
  };
}
