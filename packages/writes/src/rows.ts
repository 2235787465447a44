import type { WriteResource, WriteStatus } from '@crm-sync/core';

/** The table name in a sealed request's additional data (vault rowSeal). */
export const WRITES_TABLE = 'writes';

/** A write as callers see it (GET /v1/writes/{id}, logs): never its request content. */
export interface WriteView {
  id: string;
  connectionId: string;
  resource: WriteResource;
  op: 'create' | 'update' | 'delete';
  status: WriteStatus;
  externalId: string | null;
  version: string | null;
  reason: string | null;
  createdAt: string;
  finishedAt: string | null;
}

interface WriteRow {
  id: string;
  connection_id: string;
  resource: WriteResource;
  op: WriteView['op'];
  status: WriteStatus;
  external_id: string | null;
  provider_version: string | null;
  reason: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export const VIEW_COLUMNS =
  'id, connection_id, resource, op, status, external_id, provider_version, reason, created_at, finished_at';

export const toView = (row: WriteRow): WriteView => ({
  id: row.id,
  connectionId: row.connection_id,
  resource: row.resource,
  op: row.op,
  status: row.status,
  externalId: row.external_id,
  version: row.provider_version,
  reason: row.reason,
  createdAt: row.created_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
});

/** One write of a tenant, or undefined (another tenant's write reads as unknown, so ids cannot be probed). */
export async function getWrite(
  db: { query(sql: string, params: unknown[]): Promise<unknown> },
  tenants: '*' | readonly string[],
  writeId: string,
): Promise<WriteView | undefined> {
  const rows = (await db.query(`SELECT ${VIEW_COLUMNS}, tenant_id FROM writes WHERE id = $1`, [
    writeId,
  ])) as Array<WriteRow & { tenant_id: string }>;
  const row = rows[0];
  if (!row || (tenants !== '*' && !tenants.includes(row.tenant_id))) return undefined;
  return toView(row);
}
