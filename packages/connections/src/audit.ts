import type { AuditEventType } from '@crm-sync/core';
import type { JsonObject, SqlExecutor } from '@crm-sync/db';

export interface AuditEntry {
  connectionId: string | null;
  tenantId: string;
  type: AuditEventType;
  /** Who caused it: `user:<crmUserId>`, `service:<name>`, `provider`, `system`. */
  actor: string;
  /** Facts only (scopes, counts, reasons); never a token, code or key. */
  details?: JsonObject;
}

export async function writeAudit(manager: SqlExecutor, entry: AuditEntry): Promise<void> {
  await manager.query(
    `INSERT INTO audit_events (connection_id, tenant_id, type, actor, details) VALUES ($1, $2, $3, $4, $5)`,
    [entry.connectionId, entry.tenantId, entry.type, entry.actor, JSON.stringify(entry.details ?? {})],
  );
}
