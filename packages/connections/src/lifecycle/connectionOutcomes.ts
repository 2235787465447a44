import type { Resource } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import { writeAudit } from '../audit';
import { endConnection, type EndConnectionDeps } from './endConnection';

/**
 * What the sync engine reports about a connection, carried out here where connections, credentials and the
 * audit trail are owned. The shape is the engine's `ConnectionOutcomes` port (packages/sync-engine/src/types.ts);
 * connections does not depend on the engine, so the worker's wiring is where the two are type-checked together.
 */
export function connectionOutcomes(deps: EndConnectionDeps) {
  return {
    /**
     * The revocation pipeline: needs_reauth, credentials deleted, every resource stopped, audit `token_revoked`
     * and one `connection.status_changed` (endConnection does this once, however many slices find out).
     */
    revoked(input: {
      connectionId: string;
      resource?: Resource;
      reason: string;
      now: Date;
    }): Promise<boolean> {
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
    },
    /** Audit `sync_failed`, in the caller's transaction (the one that disabled the resource). */
    resourceDisabled(
      db: SqlExecutor,
      input: { connectionId: string; tenantId: string; resource: Resource; reason: string },
    ): Promise<void> {
      return writeAudit(db, {
        connectionId: input.connectionId,
        tenantId: input.tenantId,
        type: 'sync_failed',
        actor: 'system',
        details: { resource: input.resource, kind: 'permanent', reason: input.reason },
      });
    },
  };
}
