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

/** An entry with the time it happened, for a write that comes later than that (broker/auditBuffer.ts). */
export interface TimedAuditEntry extends AuditEntry {
  at: Date;
}

/** Many entries in one statement, each with the time it happened (not the time of the write). */
export async function writeAuditBatch(
  manager: SqlExecutor,
  entries: readonly TimedAuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const values: unknown[] = [];
  const rows = entries.map((entry) => {
    const at = values.length;
    values.push(
      entry.connectionId,
      entry.tenantId,
      entry.type,
      entry.actor,
      JSON.stringify(entry.details ?? {}),
    );
    values.push(entry.at);
    return `(${[1, 2, 3, 4, 5, 6].map((n) => `$${at + n}`).join(', ')})`;
  });
  await manager.query(
    `INSERT INTO audit_events (connection_id, tenant_id, type, actor, details, created_at) VALUES ${rows.join(', ')}`,
    values,
  );
}
