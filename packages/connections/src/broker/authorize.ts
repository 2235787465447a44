import type { Provider, ProviderAdapter } from '@crm-sync/core';
import { writeAudit } from '../audit';
import { checkPolicy } from './policyCheck';
import { refusal, type BrokerCaller, type BrokerDeps, type BrokerRefusal, type BrokerUse } from './types';

export interface BrokeredConnection {
  id: string;
  tenantId: string;
  provider: Provider;
  grantedScopes: string[];
  /** Which grant the connection holds (its authenticated_at, moved by every reconnect): keys cached tokens. */
  grant: string;
}

export interface BrokerGrant {
  kind: 'granted';
  connection: BrokeredConnection;
  adapter: ProviderAdapter;
}

/**
 * Decides whether `caller` may use the connection for `purpose`, read fresh from Postgres on every request so a
 * disconnect, revocation or purge refuses the very next call. A connection of a tenant the service may not act
 * for is `not_found`, like an unknown id, so ids cannot be probed; every other refusal is audited.
 */
export async function authorizeBrokerUse(
  deps: BrokerDeps,
  caller: BrokerCaller,
  request: { connectionId: string; purpose: string; use: BrokerUse },
): Promise<BrokerGrant | BrokerRefusal> {
  const [row] = (await deps.db.query(
    `SELECT id, tenant_id, provider, status, granted_scopes, authenticated_at::text AS grant_stamp
     FROM connections WHERE id = $1`,
    [request.connectionId],
  )) as Array<{
    id: string;
    tenant_id: string;
    provider: Provider;
    status: string;
    granted_scopes: string[];
    grant_stamp: string;
  }>;
  if (!row || (caller.tenants !== '*' && !caller.tenants.includes(row.tenant_id))) {
    return refusal(404, 'not_found', 'no such connection');
  }
  const connection = {
    id: row.id,
    tenantId: row.tenant_id,
    provider: row.provider,
    grantedScopes: row.granted_scopes,
    grant: row.grant_stamp,
  };
  const adapter = deps.adapters.get(row.provider);
  const refused =
    checkPolicy(caller.policy, { ...connection, purpose: request.purpose, use: request.use }) ??
    (row.status === 'active'
      ? null
      : refusal(409, 'connection_inactive', 'the connection is not active; the user must reconnect'));
  if (refused || !adapter) {
    const answer = refused ?? refusal(409, 'provider_not_configured', 'this provider is not configured');
    await auditRefusal(deps, caller, connection, request, answer.code);
    return answer;
  }
  return { kind: 'granted', connection, adapter };
}

export async function auditRefusal(
  deps: BrokerDeps,
  caller: BrokerCaller,
  connection: BrokeredConnection,
  request: { purpose: string; use: BrokerUse },
  reason: string,
): Promise<void> {
  await writeAudit(deps.db, {
    connectionId: connection.id,
    tenantId: connection.tenantId,
    type: 'broker_refused',
    actor: `service:${caller.service}`,
    details: { use: request.use, purpose: request.purpose, reason },
  });
}
