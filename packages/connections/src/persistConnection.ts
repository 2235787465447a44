import type { Provider, ProviderIdentity, Resource, TokenGrant } from '@crm-sync/core';
import { syncStates } from '@crm-sync/sync-states';
import type { CredentialStore } from '@crm-sync/vault';
import type { EntityManager } from 'typeorm';
import { writeAudit } from './audit';
import type { ConnectionGenerations } from './generations';

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

/** What persisting a consent came to: stored, or refused because another CRM user owns the account. */
export type PersistOutcome =
  | { kind: 'stored'; connectionId: string; reconnected: boolean }
  | { kind: 'owned_by_another'; connectionId: string; sameTenant: boolean };

interface OwnerRow {
  id: string;
  tenant_id: string;
  crm_user_id: string;
}

/**
 * Writes a completed consent in one transaction: the connection, its sealed credentials, a sync state per
 * resource (due now, or disabled with the missing scopes) and the audit trail. Either all of it is stored or none
 * of it. Ownership never moves (docs/connect-flow.md): the same CRM user reconnecting keeps the connection, its
 * data and cursors; an account another user holds (in any tenant) is refused and nothing is written.
 */
export async function persistConnection(
  manager: EntityManager,
  deps: { credentials: CredentialStore; generations: ConnectionGenerations },
  input: NewGrant,
): Promise<PersistOutcome> {
  const owner = await lockOwner(manager, input);
  if (owner && (owner.tenant_id !== input.tenantId || owner.crm_user_id !== input.crmUserId)) {
    return {
      kind: 'owned_by_another',
      connectionId: owner.id,
      sameTenant: owner.tenant_id === input.tenantId,
    };
  }
  const connectionId = owner
    ? await updateConnection(manager, owner.id, input)
    : await insertConnection(manager, input);
  // A reconnect changes the grant, scopes and status the proxy keeps in memory (generations.ts: after the UPDATE).
  if (owner) await deps.generations.bump(connectionId);
  const store = deps.credentials.withManager(manager);
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
  await auditGrant(manager, connectionId, input, owner !== null);
  return { kind: 'stored', connectionId, reconnected: owner !== null };
}

/**
 * The connection that holds the account, locked: the live one (any tenant), else this user's own disconnected
 * one, which a reconnect revives. The advisory lock serialises concurrent consents of one account, so two
 * callbacks cannot both find no owner and insert.
 */
async function lockOwner(manager: EntityManager, input: NewGrant): Promise<OwnerRow | null> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `connections:${input.provider}:${input.identity.providerAccountId}`,
  ]);
  const rows = await manager.query<OwnerRow[]>(
    `SELECT id, tenant_id, crm_user_id FROM connections
      WHERE provider = $1 AND provider_account_id = $2
        AND (status <> 'disconnected' OR (tenant_id = $3 AND crm_user_id = $4))
      ORDER BY status <> 'disconnected' DESC, updated_at DESC LIMIT 1 FOR UPDATE`,
    [input.provider, input.identity.providerAccountId, input.tenantId, input.crmUserId],
  );
  return rows[0] ?? null;
}

const grantValues = (input: NewGrant) => [
  input.identity.email,
  input.requestedScopes,
  input.grant.grantedScopes,
  input.resources,
];

async function insertConnection(manager: EntityManager, input: NewGrant): Promise<string> {
  const [row] = await manager.query<Array<{ id: string }>>(
    `INSERT INTO connections (email, requested_scopes, granted_scopes, resources, tenant_id, crm_user_id,
       provider, provider_account_id, status, authenticated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', now()) RETURNING id`,
    [
      ...grantValues(input),
      input.tenantId,
      input.crmUserId,
      input.provider,
      input.identity.providerAccountId,
    ],
  );
  return row!.id;
}

/** Same owner: widen or narrow what is granted, clear needs_reauth; never touches tenant or owner. */
async function updateConnection(manager: EntityManager, id: string, input: NewGrant): Promise<string> {
  await manager.query(
    `UPDATE connections SET email = $1, requested_scopes = $2, granted_scopes = $3, resources = $4,
       status = 'active', status_reason = NULL, authenticated_at = now(), disconnected_at = NULL, ended_at = NULL, data_purged_at = NULL,
       updated_at = now()
     WHERE id = $5`,
    [...grantValues(input), id],
  );
  return id;
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
