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

/** What the broker needs of a connection's row: who owns it, which provider and grant, and whether it is active. */
export interface BrokerConnectionRow extends BrokeredConnection {
  status: string;
}

/**
 * The connection's row, or undefined. `lock` reads it `FOR SHARE`, which waits for a transaction that is changing
 * it (ending or reconnecting it) to commit: what connect-api's proxy keeps in memory is never a state about to
 * change under a generation it has already seen (ConnectionGenerations).
 */
export async function readBrokerConnection(
  db: BrokerDeps['db'],
  connectionId: string,
  options: { lock: boolean },
): Promise<BrokerConnectionRow | undefined> {
  const [row] = (await db.query(
    `SELECT id, tenant_id, provider, status, granted_scopes, authenticated_at::text AS grant_stamp
     FROM connections WHERE id = $1${options.lock ? ' FOR SHARE' : ''}`,
    [connectionId],
  )) as Array<{
    id: string;
    tenant_id: string;
    provider: Provider;
    status: string;
    granted_scopes: string[];
    grant_stamp: string;
  }>;
  return (
    row && {
      id: row.id,
      tenantId: row.tenant_id,
      provider: row.provider,
      grantedScopes: row.granted_scopes,
      grant: row.grant_stamp,
      status: row.status,
    }
  );
}

/**
 * Decides whether `caller` may use the connection for `purpose`, read fresh from Postgres, so a disconnect,
 * revocation or purge refuses the very next request (the proxy reads the row through its ConnectionCache instead).
 */
export async function authorizeBrokerUse(
  deps: BrokerDeps,
  caller: BrokerCaller,
  request: { connectionId: string; purpose: string; use: BrokerUse },
): Promise<BrokerGrant | BrokerRefusal> {
  const row = await readBrokerConnection(deps.db, request.connectionId, { lock: false });
  return decideBrokerUse(deps, caller, row, request);
}

/**
 * Whether `caller` may use the connection `row` for `purpose`. A connection of a tenant the service may not act
 * for is `not_found`, like an unknown id, so ids cannot be probed; every other refusal is audited.
 */
export async function decideBrokerUse(
  deps: BrokerDeps,
  caller: BrokerCaller,
  row: BrokerConnectionRow | undefined,
  request: { purpose: string; use: BrokerUse },
): Promise<BrokerGrant | BrokerRefusal> {
  if (!row || (caller.tenants !== '*' && !caller.tenants.includes(row.tenantId))) {
    return refusal(404, 'not_found', 'no such connection');
  }
  const { status, ...connection } = row;
  const adapter = deps.adapters.get(row.provider);
  const refused =
    checkPolicy(caller.policy, { ...connection, purpose: request.purpose, use: request.use }) ??
    (status === 'active'
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
