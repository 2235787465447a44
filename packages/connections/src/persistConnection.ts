import type { Provider, ProviderIdentity, Resource, TokenGrant } from '@crm-sync/core';
import { syncStates } from '@crm-sync/sync-states';
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
  await syncStates.createForConnection(
    manager,
    connectionId,
    input.resources.map((resource) => {
      const missing = input.missing[resource];
      return { resource, disabledReason: missing ? `scopes not granted: ${missing.join(' ')}` : null };
    }),
  );
  await auditGrant(manager, connectionId, input, !row.inserted);
  return { connectionId, reconnected: !row.inserted };
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
