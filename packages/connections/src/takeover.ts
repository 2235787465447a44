import type { ProviderAdapter } from '@crm-sync/core';
import { writeAudit } from './audit';
import type { ConnectionsDeps } from './deps';
import type { NewGrant, PersistOutcome } from './persistConnection';
import { revokeGrant } from './revokeGrant';

/**
 * A consent for an account another CRM user holds (docs/connect-flow.md): the new grant is revoked at the
 * provider and the attempt is audited for the tenant that made it. The owner's connection is not touched. The
 * audit names the owning connection only when it is in the same tenant: tenants see only their own connections.
 */
export async function refuseTakeover(
  deps: Pick<ConnectionsDeps, 'db'>,
  adapter: ProviderAdapter,
  input: NewGrant,
  owner: Extract<PersistOutcome, { kind: 'owned_by_another' }>,
): Promise<void> {
  const revoke = await revokeGrant(adapter, input.grant);
  await writeAudit(deps.db.manager, {
    connectionId: owner.sameTenant ? owner.connectionId : null,
    tenantId: input.tenantId,
    type: 'takeover_refused',
    actor: `user:${input.crmUserId}`,
    details: {
      provider: input.provider,
      ownerInSameTenant: owner.sameTenant,
      requestedScopes: input.requestedScopes,
      revoke,
    },
  });
}
