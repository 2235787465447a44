import type { Provider, ProviderIdentity, Resource, TokenGrant } from '@crm-sync/core';
import type { CredentialStore } from '@crm-sync/vault';
import type { EntityManager } from 'typeorm';
import { writeAudit } from './audit';

export interface NewGrant {
  provider: Provider;
  tenantId: string;
  crmUserId: string;
  identity: ProviderIdentity;
  resources: Resource[];
  requestedScopes: string[];
  grant: TokenGrant;
  /** Resources whose scopes were not granted, with what is missing. */
  missing: Partial<Record<Resource, string[]>>;
}

/**
 * Writes a completed consent in one transaction: the connection (reused when the same provider account
 * reconnects, which also clears `needs_reauth`), its sealed credentials, a sync state per resource (due now, or
 * disabled with the missing scopes) and the audit trail. Either all of it is stored or none of it.
 */
export async function persistConnection(
  manager: EntityManager,
  credentials: CredentialStore,
  input: NewGrant,
): Promise<{ connectionId: string; reconnected: boolean }> {
  const [row] = await manager.query<Array<{ id: string; inserted: boolean }>>(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, email,
       requested_scopes, granted_scopes, resources, status, status_reason, authenticated_at, disconnected_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', NULL, now(), NULL)
     ON CONFLICT (tenant_id, provider, provider_account_id) DO UPDATE SET
       crm_user_id = EXCLUDED.crm_user_id, email = EXCLUDED.email,
       requested_scopes = EXCLUDED.requested_scopes, granted_scopes = EXCLUDED.granted_scopes,
       resources = EXCLUDED.resources, status = 'active', status_reason = NULL,
       authenticated_at = now(), disconnected_at = NULL, updated_at = now()
     RETURNING id, (xmax = 0) AS inserted`,
    [
      input.tenantId,
      input.crmUserId,
      input.provider,
      input.identity.providerAccountId,
      input.identity.email,
      input.requestedScopes,
      input.grant.grantedScopes,
      input.resources,
    ],
  );
  const connectionId = row.id;
  const store = credentials.withManager(manager);
  // A provider may skip the refresh token on a repeat consent (Google without prompt=consent): keep the old one.
  const refreshToken = input.grant.refreshToken ?? (await store.load(connectionId))?.tokens.refreshToken;
  await store.save(
    connectionId,
    { accessToken: input.grant.accessToken, refreshToken, scope: input.grant.grantedScopes },
    input.grant.expiresAt,
  );
  await upsertSyncStates(manager, connectionId, input.resources, input.missing);
  await auditGrant(manager, connectionId, input, !row.inserted);
  return { connectionId, reconnected: !row.inserted };
}

async function upsertSyncStates(
  manager: EntityManager,
  connectionId: string,
  resources: Resource[],
  missing: Partial<Record<Resource, string[]>>,
): Promise<void> {
  const reasons = resources.map((r) => (missing[r] ? `scopes not granted: ${missing[r]!.join(' ')}` : null));
  await manager.query(
    `INSERT INTO sync_states (connection_id, resource, enabled, status, next_sync_at, disabled_reason)
     SELECT $1, r.resource, r.reason IS NULL, CASE WHEN r.reason IS NULL THEN 'idle' ELSE 'disabled' END,
            now(), r.reason
       FROM unnest($2::text[], $3::text[]) AS r(resource, reason)
     ON CONFLICT (connection_id, resource) DO UPDATE SET
       enabled = EXCLUDED.enabled, status = EXCLUDED.status, next_sync_at = now(),
       disabled_reason = EXCLUDED.disabled_reason, consecutive_failures = 0, updated_at = now()`,
    [connectionId, resources, reasons],
  );
  // A reconnect may ask for fewer resources than before: the others stop, their synced rows stay.
  await manager.query(
    `UPDATE sync_states SET enabled = false, status = 'disabled', disabled_reason = 'not requested',
            updated_at = now()
      WHERE connection_id = $1 AND NOT (resource = ANY($2::text[]))`,
    [connectionId, resources],
  );
}

async function auditGrant(
  manager: EntityManager,
  connectionId: string,
  input: NewGrant,
  reconnected: boolean,
): Promise<void> {
  const base = { connectionId, tenantId: input.tenantId, actor: `user:${input.crmUserId}` };
  await writeAudit(manager, {
    ...base,
    type: reconnected ? 'reconnected' : 'connected',
    details: {
      provider: input.provider,
      resources: input.resources,
      requestedScopes: input.requestedScopes,
      grantedScopes: input.grant.grantedScopes,
      expiresAt: input.grant.expiresAt?.toISOString() ?? null,
    },
  });
  if (Object.keys(input.missing).length > 0) {
    await writeAudit(manager, { ...base, type: 'scopes_partial', details: { missing: input.missing } });
  }
}
