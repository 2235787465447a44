import type { JobProducer } from '@crm-sync/queue';
import { destroyDataKeys } from '@crm-sync/vault';
import type { DataSource } from 'typeorm';
import { publishDeletion } from '../deletion/requestDeletion';
import { purgeConnectionData, type SyncedTable } from '../lifecycle/purge';
import { pruneReplays } from '../notices/replays';

export interface RetentionSweepDeps {
  db: DataSource;
  producer: JobProducer;
  purgeBatchSize: number;
  /** Audit events older than this are pruned; 0 keeps them. */
  auditRetentionMs: number;
  /** A deletion request untouched this long is sent to the workers again. */
  resumeDeletionsAfterMs: number;
  now?: () => Date;
}

export interface RetentionSweepResult {
  /** Ended connections whose synced data was purged, and the rows per table. */
  connections: number;
  /** Data keys shredded before their connections' rows were purged. */
  keysShredded: number;
  deleted: Partial<Record<SyncedTable, number>>;
  auditEventsPruned: number;
  /** Provider notice replay claims past their TTL (`notice_replays`). */
  noticeReplaysPruned: number;
  deletionsResumed: number;
}

/**
 * Connections ended (disconnected or revoked) longer ago than their tenant's retention period, data still kept;
 * not those an unfinished deletion request covers: its own purge deletes and counts their rows for the receipt.
 */
const DUE = `SELECT c.id, c.tenant_id FROM connections c LEFT JOIN tenant_settings t ON t.tenant_id = c.tenant_id
  WHERE c.ended_at IS NOT NULL AND c.data_purged_at IS NULL AND c.status IN ('disconnected', 'revoked')
    AND c.ended_at + make_interval(days => COALESCE(t.retention_days, 0)) <= $1
    AND NOT EXISTS (SELECT 1 FROM deletion_requests d
                     WHERE d.status <> 'completed' AND d.connection_ids @> ARRAY[c.id])
  ORDER BY c.ended_at LIMIT $2`;

/** Whole sweeps are serialised across schedulers by this session lock; a second scheduler skips its turn. */
const SWEEP_LOCK = `crm-sync:retention-sweep`;

/**
 * One retention sweep (docs/deletion.md#retention): shreds the data keys of ended connections past their tenant's
 * retention period, then purges their synced data, prunes old audit events (deletion receipts live elsewhere and stay) and expired
 * notice replay claims, and sends stale deletion requests to the workers again. Returns null when another scheduler holds the sweep.
 */
export async function sweepRetention(
  deps: RetentionSweepDeps,
  limit = 1_000,
): Promise<RetentionSweepResult | null> {
  const runner = deps.db.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = (await runner.query(
      `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
      [SWEEP_LOCK],
    )) as [{ locked: boolean }];
    if (!locked) return null;
    try {
      return {
        ...(await purgeEnded(deps, limit)),
        auditEventsPruned: await pruneAudit(deps),
        noticeReplaysPruned: await pruneReplays(deps.db.manager, deps.now?.() ?? new Date()),
        deletionsResumed: await resumeStaleDeletions(deps),
      };
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [SWEEP_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

async function purgeEnded(
  deps: RetentionSweepDeps,
  limit: number,
): Promise<Pick<RetentionSweepResult, 'connections' | 'deleted' | 'keysShredded'>> {
  const due = (await deps.db.query(DUE, [deps.now?.() ?? new Date(), limit])) as Array<{
    id: string;
    tenant_id: string;
  }>;
  const deleted: Partial<Record<SyncedTable, number>> = {};
  let keysShredded = 0;
  for (const { id, tenant_id: tenantId } of due) {
    // Shred first, as a deletion does (docs/deletion.md, step `unreadable`): the rows of this database, its
    // replicas and backups are unreadable from here on, even if the purge below stops halfway.
    keysShredded += await destroyDataKeys(deps.db, [id]);
    const counts = await purgeConnectionData(deps.db, {
      connectionId: id,
      tenantId,
      actor: 'system:retention',
      batchSize: deps.purgeBatchSize,
    });
    for (const [table, n] of Object.entries(counts) as Array<[SyncedTable, number]>) {
      deleted[table] = (deleted[table] ?? 0) + n;
    }
  }
  return { connections: due.length, deleted, keysShredded };
}

async function pruneAudit(deps: RetentionSweepDeps): Promise<number> {
  if (deps.auditRetentionMs === 0) return 0;
  const before = new Date((deps.now?.() ?? new Date()).getTime() - deps.auditRetentionMs);
  let pruned = 0;
  for (;;) {
    const [, count] = (await deps.db.query(
      `DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE created_at < $1 LIMIT $2)`,
      [before, deps.purgeBatchSize],
    )) as [unknown, number];
    pruned += count;
    if (count < deps.purgeBatchSize) return pruned;
  }
}

/** A request whose event was lost (Redis down at the time) or whose job gave up is sent again. */
async function resumeStaleDeletions(deps: RetentionSweepDeps): Promise<number> {
  const [stale] = (await deps.db.query(
    `UPDATE deletion_requests SET updated_at = now()
      WHERE id IN (SELECT id FROM deletion_requests WHERE status <> 'completed' AND updated_at < $1 LIMIT 100)
      RETURNING id, tenant_id, crm_user_id`,
    [new Date((deps.now?.() ?? new Date()).getTime() - deps.resumeDeletionsAfterMs)],
  )) as [Array<{ id: string; tenant_id: string; crm_user_id: string | null }>, number];
  for (const r of stale) {
    await publishDeletion(deps, { id: r.id, tenantId: r.tenant_id, crmUserId: r.crm_user_id });
  }
  return stale.length;
}
