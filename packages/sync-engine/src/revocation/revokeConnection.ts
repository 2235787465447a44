import { endConnection, type EndConnectionDeps } from '@crm-sync/connections';
import type { Resource } from '@crm-sync/core';

export interface RevocationInput {
  connectionId: string;
  /** The resource whose sync found out (absent for a token refresh); recorded in the audit trail. */
  resource?: Resource;
  /** Provider error code such as invalid_grant; never a token. */
  reason: string;
  now: Date;
}

/**
 * The revocation pipeline, run when the provider says the grant is gone: the connection needs re-auth, its
 * credentials are deleted, every resource stops, the audit trail records `token_revoked` and the CRM gets one
 * `connection.status_changed` (connections' endConnection does this once, however many slices find out).
 */
export function revokeConnection(deps: EndConnectionDeps, input: RevocationInput): Promise<boolean> {
  return endConnection(deps, {
    connectionId: input.connectionId,
    status: 'needs_reauth',
    reason: `token revoked at the provider (${input.reason})`,
    audit: {
      type: 'token_revoked',
      actor: 'provider',
      details: {
        resource: input.resource ?? null,
        reason: input.reason,
        detectedBy: input.resource ? 'sync' : 'token_refresh',
      },
    },
    now: input.now,
  });
}
