import type { DataSource } from 'typeorm';
import type { DeletionProgress, DeletionRequestRow, DeletionStatus, DeletionStep } from './types';

const EMPTY_PROGRESS: DeletionProgress = { deleted: {}, revocations: {}, jobsRemoved: 0 };

/** Who is to be deleted: one CRM user of a tenant, or (crmUserId null) the whole tenant. */
export interface DeletionSubject {
  tenantId: string;
  crmUserId: string | null;
}

/**
 * Records a deletion request (idempotent on its id, so a redelivered event or a retried call adds nothing).
 * Returns the stored request, which for a known id may be further along, or for another subject is refused.
 */
export async function recordDeletionRequest(
  db: DataSource,
  input: DeletionSubject & { id: string; requestedBy: string },
): Promise<DeletionRequestRow | 'conflict'> {
  await db.query(
    `INSERT INTO deletion_requests (id, tenant_id, crm_user_id, requested_by, progress)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
    [input.id, input.tenantId, input.crmUserId, input.requestedBy, JSON.stringify(EMPTY_PROGRESS)],
  );
  const stored = await loadDeletionRequest(db, input.id);
  if (!stored || stored.tenantId !== input.tenantId || stored.crmUserId !== input.crmUserId)
    return 'conflict';
  return stored;
}

interface RequestRecord {
  id: string;
  tenant_id: string;
  crm_user_id: string | null;
  requested_by: string;
  status: DeletionStatus;
  step: DeletionStep;
  connection_ids: string[];
  progress: DeletionProgress;
  unreadable_at: Date | null;
  requested_at: Date;
  completed_at: Date | null;
  receipt: string | null;
}

export async function loadDeletionRequest(db: DataSource, id: string): Promise<DeletionRequestRow | null> {
  const [row] = (await db.query(`SELECT * FROM deletion_requests WHERE id = $1`, [id])) as RequestRecord[];
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    crmUserId: row.crm_user_id,
    requestedBy: row.requested_by,
    status: row.status,
    step: row.step,
    connectionIds: row.connection_ids,
    progress: { ...EMPTY_PROGRESS, ...row.progress },
    unreadableAt: row.unreadable_at,
    requestedAt: row.requested_at,
    completedAt: row.completed_at,
    receipt: row.receipt,
  };
}

/** A request as the CRM sees it; null when unknown or another tenant's, so ids cannot be probed. */
export async function deletionRequestOf(
  db: DataSource,
  tenantId: string,
  id: string,
): Promise<DeletionRequestRow | null> {
  const row = await loadDeletionRequest(db, id);
  return row && row.tenantId === tenantId ? row : null;
}
