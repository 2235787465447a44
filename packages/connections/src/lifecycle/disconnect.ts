import type { Provider, ProviderAdapter } from '@crm-sync/core';
import { stopChannelsAtProvider } from '../push/stopChannels';
import { revokeGrant, type RevokeResult } from '../revokeGrant';
import { endConnection, type EndConnectionDeps } from './endConnection';
import { purgeConnectionData } from './purge';

export interface DisconnectDeps extends EndConnectionDeps {
  adapters: ReadonlyMap<Provider, ProviderAdapter>;
}

export type DisconnectOutcome =
  { kind: 'not_found' } | { kind: 'done'; changed: boolean; revoke: RevokeResult | 'no_credentials' };

export interface DisconnectInput {
  connectionId: string;
  tenantId: string;
  purge: boolean;
  actor: string;
}

/**
 * A user's disconnect: revoke the grant at the provider (where the provider offers revocation), delete the
 * tokens, stop the syncs, and with `purge` delete the synced data. A provider that fails to revoke does not keep
 * our copy of the tokens alive: they are deleted regardless and the outcome is audited.
 */
export async function disconnectConnection(
  deps: DisconnectDeps,
  input: DisconnectInput,
): Promise<DisconnectOutcome> {
  const rows: Array<{ provider: Provider }> = await deps.db.query(
    `SELECT provider FROM connections WHERE id = $1 AND tenant_id = $2`,
    [input.connectionId, input.tenantId],
  );
  if (rows.length === 0) return { kind: 'not_found' };
  const revoke = await revokeAtProvider(deps, input.connectionId, rows[0]!.provider);
  const changed = await endConnection(deps, {
    connectionId: input.connectionId,
    status: 'disconnected',
    reason: 'disconnected by the user',
    audit: { type: 'disconnected', actor: input.actor, details: { purge: input.purge, revoke } },
  });
  if (input.purge) await purgeConnectionData(deps.db, input);
  return { kind: 'done', changed, revoke };
}

async function revokeAtProvider(
  deps: DisconnectDeps,
  connectionId: string,
  provider: Provider,
): Promise<RevokeResult | 'no_credentials'> {
  const stored = await deps.credentials.load(connectionId);
  const adapter = deps.adapters.get(provider);
  if (!stored || !adapter) return 'no_credentials';
  // Push channels first (issue 25): stopping one needs the grant the revocation ends.
  await stopChannelsAtProvider(deps.db, adapter, connectionId, stored);
  return revokeGrant(adapter, stored.tokens);
}
