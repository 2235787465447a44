import type { Resource } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import type { AuditRecord } from '../src/types';

/**
 * Test fixtures for states the repository reaches only through a connect flow or many rounds. They live with the
 * table's owner, so no other package writes `sync_states` with SQL (docs/architecture.md, Table owners).
 */

export interface SeedRow {
  connectionId: string;
  resource: string;
  nextSyncAt?: Date | null;
  lastError?: string | null;
  lastErrorAt?: Date | null;
}

/** Inserts rows in one statement (a bench seeds hundreds of thousands). */
export async function seedSyncStates(db: SqlExecutor, rows: readonly SeedRow[]): Promise<void> {
  await db.query(
    `INSERT INTO sync_states (connection_id, resource, next_sync_at, last_error, last_error_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::timestamptz[])`,
    [
      rows.map((r) => r.connectionId),
      rows.map((r) => r.resource),
      rows.map((r) => r.nextSyncAt ?? null),
      rows.map((r) => r.lastError ?? null),
      rows.map((r) => r.lastErrorAt ?? null),
    ],
  );
}

export interface StateOverrides {
  enabled?: boolean;
  status?: string;
  disabledReason?: string | null;
  mode?: 'full' | 'incremental';
  cursor?: string | null;
  /** When the last full round completed. */
  fullRoundAt?: Date | null;
  /** A time, or seconds from now (negative: already due). */
  nextSyncAt?: Date | { inSeconds: number };
}

const COLUMNS: Record<Exclude<keyof StateOverrides, 'nextSyncAt'>, string> = {
  enabled: 'enabled',
  status: 'status',
  disabledReason: 'disabled_reason',
  mode: 'mode',
  cursor: 'cursor',
  fullRoundAt: 'full_round_at',
};

/** Overwrites columns of the rows matching every given condition (none given: every row). */
export async function setSyncStates(
  db: SqlExecutor,
  match: { connectionIds?: readonly string[]; resource?: string },
  values: StateOverrides,
): Promise<void> {
  const parameters: unknown[] = [];
  const param = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  const sets = Object.entries(COLUMNS)
    .filter(([key]) => values[key as keyof typeof COLUMNS] !== undefined)
    .map(([key, column]) => `${column} = ${param(values[key as keyof typeof COLUMNS])}`);
  const next = values.nextSyncAt;
  if (next instanceof Date) sets.push(`next_sync_at = ${param(next)}`);
  else if (next) sets.push(`next_sync_at = now() + make_interval(secs => ${param(next.inSeconds)}::float8)`);
  if (sets.length === 0) throw new Error('setSyncStates: nothing to set');
  const where = [
    ...(match.connectionIds ? [`connection_id = ANY(${param(match.connectionIds)}::uuid[])`] : []),
    ...(match.resource ? [`resource = ${param(match.resource)}`] : []),
  ];
  await db.query(
    `UPDATE sync_states SET ${sets.join(', ')}, updated_at = now() ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    parameters,
  );
}

/** Removes a connection's rows, as if its resources had never been set up. */
export async function deleteSyncStates(db: SqlExecutor, connectionId: string): Promise<void> {
  await db.query(`DELETE FROM sync_states WHERE connection_id = $1`, [connectionId]);
}

/** What the last audit of a resource found; null when none ran (or the resource has no row). */
export async function lastAudit(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
): Promise<(Omit<AuditRecord, 'connectionId' | 'resource'> & { fullRoundWanted: boolean }) | null> {
  const [row] = (await db.query(
    `SELECT audit_at, audit_missing, audit_ghosts, audit_repaired, full_round_wanted FROM sync_states
      WHERE connection_id = $1 AND resource = $2 AND audit_at IS NOT NULL`,
    [connectionId, resource],
  )) as Array<{
    audit_at: Date;
    audit_missing: number;
    audit_ghosts: number;
    audit_repaired: number;
    full_round_wanted: boolean;
  }>;
  if (!row) return null;
  return {
    at: row.audit_at,
    missing: row.audit_missing,
    ghosts: row.audit_ghosts,
    repaired: row.audit_repaired,
    fullRoundWanted: row.full_round_wanted,
  };
}
