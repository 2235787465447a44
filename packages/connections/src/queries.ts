import { CONNECTION_STATUSES, type ConnectionStatus, type Provider, type Resource } from '@crm-sync/core';
import { ConnectionEntity, SyncStateEntity, type ConnectionRow, type SyncStateRow } from '@crm-sync/db';
import type { DataSource } from 'typeorm';

export interface ConnectionFilter {
  tenantId: string;
  crmUserId?: string;
  provider?: Provider;
  status?: ConnectionStatus;
  limit?: number;
}

/** A connection as services may see it: status, scopes and sync progress. Credentials are never read here. */
export interface ConnectionView {
  id: string;
  tenantId: string;
  crmUserId: string;
  provider: Provider;
  providerAccountId: string | null;
  email: string | null;
  status: ConnectionStatus;
  statusReason: string | null;
  resources: Resource[];
  requestedScopes: string[];
  grantedScopes: string[];
  authenticatedAt: string;
  createdAt: string;
  disconnectedAt: string | null;
}

export interface SyncStateView {
  resource: Resource;
  enabled: boolean;
  mode: string;
  phase: string | null;
  status: string;
  itemsDone: number;
  nextSyncAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  disabledReason: string | null;
  /** The last completeness audit of the resource; null until one ran. */
  audit: AuditView | null;
}

/** What the last completeness audit found and did (packages/sync-engine/README.md "Completeness audit"). */
export interface AuditView {
  at: string;
  /** Items the provider had that the table lacked: stored by the audit, or by the full round it asked for (`fullRoundWanted`). */
  missing: number;
  /** Rows the provider no longer had. */
  ghosts: number;
  /** Ghost rows the audit marked deleted plus missing items it stored itself. */
  repaired: number;
  fullRoundWanted: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toView(row: ConnectionRow): ConnectionView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    crmUserId: row.crmUserId,
    provider: row.provider,
    providerAccountId: row.providerAccountId,
    email: row.email,
    status: row.status,
    statusReason: row.statusReason,
    resources: row.resources,
    requestedScopes: row.requestedScopes,
    grantedScopes: row.grantedScopes,
    authenticatedAt: row.authenticatedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    disconnectedAt: iso(row.disconnectedAt),
  };
}

function toSyncView(row: SyncStateRow): SyncStateView {
  return {
    resource: row.resource,
    enabled: row.enabled,
    mode: row.mode,
    phase: row.phase,
    status: row.status,
    itemsDone: row.itemsDone,
    nextSyncAt: iso(row.nextSyncAt),
    lastSuccessAt: iso(row.lastSuccessAt),
    lastError: row.lastError,
    lastErrorAt: iso(row.lastErrorAt),
    disabledReason: row.disabledReason,
    audit: row.auditAt
      ? {
          at: row.auditAt.toISOString(),
          missing: row.auditMissing ?? 0,
          ghosts: row.auditGhosts ?? 0,
          repaired: row.auditRepaired ?? 0,
          fullRoundWanted: row.fullRoundWanted,
        }
      : null,
  };
}

export async function listConnections(db: DataSource, filter: ConnectionFilter): Promise<ConnectionView[]> {
  const rows = await db.getRepository(ConnectionEntity).find({
    where: {
      tenantId: filter.tenantId,
      ...(filter.crmUserId && { crmUserId: filter.crmUserId }),
      ...(filter.provider && { provider: filter.provider }),
      ...(filter.status && { status: filter.status }),
    },
    order: { createdAt: 'ASC' },
    take: filter.limit ?? 100,
  });
  return rows.map(toView);
}

/** Null both when the id is unknown and when it belongs to another tenant, so ids cannot be probed. */
export async function getConnection(
  db: DataSource,
  tenantId: string,
  id: string,
): Promise<(ConnectionView & { sync: SyncStateView[] }) | null> {
  const row = await db.getRepository(ConnectionEntity).findOneBy({ id, tenantId });
  if (!row) return null;
  const states = await db.getRepository(SyncStateEntity).find({
    where: { connectionId: id },
    order: { resource: 'ASC' },
  });
  return { ...toView(row), sync: states.map(toSyncView) };
}

/** Connections per status across every tenant (the scheduler's metrics); a status no connection has counts 0. */
export async function connectionCounts(db: DataSource): Promise<Record<ConnectionStatus, number>> {
  const rows = (await db.query(
    `SELECT status, count(*)::int AS n FROM connections GROUP BY status`,
  )) as Array<{
    status: ConnectionStatus;
    n: number;
  }>;
  const counts = Object.fromEntries(CONNECTION_STATUSES.map((s) => [s, 0])) as Record<
    ConnectionStatus,
    number
  >;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}
