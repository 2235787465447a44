import type { Provider, Resource } from '@crm-sync/core';
import { syncStates } from '@crm-sync/sync-states';
import type { EntityManager } from 'typeorm';
import { writeAudit } from '../audit';
import { deleteSyncedRows, disconnectConnection } from '../lifecycle';
import { removeQueuedJobs } from './queuedJobs';
import { signReceipt } from './receipt';
import { loadDeletionRequest } from './requests';
import {
  DELETION_STEPS,
  type DeletionDeps,
  type DeletionProgress,
  type DeletionRequestRow,
  type DeletionStep,
} from './types';

interface ConnectionFacts {
  id: string;
  provider: Provider;
  resources: Resource[];
}

type Step = (deps: DeletionDeps, request: DeletionRequestRow) => Promise<void>;

/**
 * Runs a deletion request to its end, from the step it is at (docs/deletion.md): each step is safe to repeat and
 * the step reached is committed, so a purge killed midway (its job handed to another worker by BullMQ's
 * stalled check) finishes where it stopped, with its counts right. Returns the finished request.
 */
export async function runDeletion(deps: DeletionDeps, id: string): Promise<DeletionRequestRow> {
  for (;;) {
    const request = await loadDeletionRequest(deps.db, id);
    if (!request) throw new Error(`deletion request ${id} does not exist`);
    if (request.step === 'done') return request;
    await STEPS[request.step](deps, request);
    const next = DELETION_STEPS[DELETION_STEPS.indexOf(request.step) + 1]!;
    await deps.db.query(
      `UPDATE deletion_requests SET step = $2, updated_at = now(),
              status = CASE WHEN $2 = 'done' THEN 'completed' ELSE 'running' END
        WHERE id = $1 AND step = $3`,
      [id, next, request.step],
    );
  }
}

const STEPS: Record<Exclude<DeletionStep, 'done'>, Step> = {
  collect,
  unreadable,
  revoke,
  jobs,
  data,
  sync_states: deleteSyncStates,
  erase,
  receipt,
};

/** Fixes which connections the request covers, and notes in each one's log that its purge began. */
async function collect(deps: DeletionDeps, request: DeletionRequestRow): Promise<void> {
  await deps.db.transaction(async (manager) => {
    const rows = (await manager.query(
      `SELECT c.id, (SELECT count(*)::int FROM credentials cr WHERE cr.connection_id = c.id) AS credentials
         FROM connections c WHERE c.tenant_id = $1 AND ($2::text IS NULL OR c.crm_user_id = $2) ORDER BY c.id`,
      [request.tenantId, request.crmUserId],
    )) as Array<{ id: string; credentials: number }>;
    const credentials = rows.reduce((sum, r) => sum + r.credentials, 0);
    for (const { id } of rows) {
      await writeAudit(manager, {
        connectionId: id,
        tenantId: request.tenantId,
        type: 'purge_requested',
        actor: request.requestedBy,
        details: { deletionRequestId: request.id, scope: request.crmUserId === null ? 'tenant' : 'user' },
      });
    }
    await manager.query(`UPDATE deletion_requests SET connection_ids = $2 WHERE id = $1`, [
      request.id,
      rows.map((r) => r.id),
    ]);
    await addProgress(manager, request.id, (p) => ({ ...p, deleted: { ...p.deleted, credentials } }));
  });
}

/**
 * Crypto-shredding, before anything else is deleted: the connections' data keys go in the transaction that records
 * `unreadable_at`, so the receipt's time is when every sealed row of theirs (in this database, a replica or a backup)
 * became unreadable. A request that covers no connection records none.
 */
async function unreadable(deps: DeletionDeps, request: DeletionRequestRow): Promise<void> {
  if (request.connectionIds.length === 0) return;
  await deps.db.transaction(async (manager) => {
    await deps.shred(manager, request.connectionIds);
    await manager.query(`UPDATE deletion_requests SET unreadable_at = now() WHERE id = $1`, [request.id]);
  });
}

/** Revokes each grant at its provider and deletes the tokens (the disconnect pipeline), one connection at a time. */
async function revoke(deps: DeletionDeps, request: DeletionRequestRow): Promise<void> {
  for (const connectionId of request.connectionIds) {
    if (request.progress.revocations[connectionId]) continue;
    const outcome = await disconnectConnection(deps, {
      connectionId,
      tenantId: request.tenantId,
      purge: false,
      actor: request.requestedBy,
    });
    const revocation = outcome.kind === 'done' ? outcome.revoke : 'no_credentials';
    await deps.db.transaction((manager) =>
      addProgress(manager, request.id, (p) => ({
        ...p,
        revocations: { ...p.revocations, [connectionId]: revocation },
      })),
    );
  }
}

async function jobs(deps: DeletionDeps, request: DeletionRequestRow): Promise<void> {
  const removed = await removeQueuedJobs(deps.producer, await connectionFacts(deps, request.connectionIds));
  await deps.db.transaction((manager) =>
    addProgress(manager, request.id, (p) => ({ ...p, jobsRemoved: p.jobsRemoved + removed })),
  );
}

async function data(deps: DeletionDeps, request: DeletionRequestRow): Promise<void> {
  await deleteSyncedRows(deps.db, request.connectionIds, deps.purgeBatchSize, (manager, table, count) =>
    addProgress(manager, request.id, (p) => ({
      ...p,
      deleted: { ...p.deleted, [table]: (p.deleted[table] ?? 0) + count },
    })),
  );
}

async function deleteSyncStates(deps: DeletionDeps, request: DeletionRequestRow): Promise<void> {
  await deps.db.transaction(async (manager) => {
    const count = await syncStates.deleteForConnections(manager, request.connectionIds);
    await addProgress(manager, request.id, (p) => ({ ...p, deleted: { ...p.deleted, sync_states: count } }));
  });
}

/**
 * What remains of each connection is what the audit needs (tenant, CRM user id, provider, scopes, dates,
 * status): the provider's e-mail address and account id go, and so do proxied paths in its log, which can
 * name mailbox items.
 */
async function erase(deps: DeletionDeps, request: DeletionRequestRow): Promise<void> {
  await deps.db.transaction(async (manager) => {
    await manager.query(
      `UPDATE connections SET email = NULL, provider_account_id = NULL, status_reason = 'deleted on request',
              data_purged_at = COALESCE(data_purged_at, now()), updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [request.connectionIds],
    );
    await manager.query(
      `UPDATE audit_events SET details = details - 'path' WHERE connection_id = ANY($1::uuid[]) AND details ? 'path'`,
      [request.connectionIds],
    );
    if (request.crmUserId === null) {
      await manager.query(`DELETE FROM tenant_settings WHERE tenant_id = $1`, [request.tenantId]);
    }
  });
}

/** Signs what was done and keeps the receipt; each connection's log notes the purge completed. */
async function receipt(deps: DeletionDeps, request: DeletionRequestRow): Promise<void> {
  if (request.receipt) return; // signed and kept already; only the step's advance was lost
  const [[{ completed_at: completedAt }]] = (await deps.db.query(
    `UPDATE deletion_requests SET completed_at = COALESCE(completed_at, now()) WHERE id = $1 RETURNING completed_at`,
    [request.id],
  )) as [[{ completed_at: Date }], number];
  const connections = await connectionFacts(deps, request.connectionIds);
  const signed = await signReceipt(deps.signing, {
    deletionRequestId: request.id,
    tenantId: request.tenantId,
    crmUserId: request.crmUserId,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt.toISOString(),
    unreadableAt: request.unreadableAt?.toISOString() ?? null,
    completedAt: completedAt.toISOString(),
    connections: connections.map((c) => ({
      id: c.id,
      provider: c.provider,
      revocation: request.progress.revocations[c.id] ?? 'no_credentials',
    })),
    deleted: request.progress.deleted,
    jobsRemoved: request.progress.jobsRemoved,
  });
  await deps.db.transaction(async (manager) => {
    await manager.query(`UPDATE deletion_requests SET receipt = $2, receipt_key_id = $3 WHERE id = $1`, [
      request.id,
      signed.jws,
      signed.keyId,
    ]);
    for (const c of connections) {
      await writeAudit(manager, {
        connectionId: c.id,
        tenantId: request.tenantId,
        type: 'purge_completed',
        actor: request.requestedBy,
        details: { deletionRequestId: request.id },
      });
    }
  });
}

async function connectionFacts(deps: DeletionDeps, ids: string[]): Promise<ConnectionFacts[]> {
  return (await deps.db.query(
    `SELECT id, provider, resources FROM connections WHERE id = ANY($1::uuid[]) ORDER BY id`,
    [ids],
  )) as ConnectionFacts[];
}

/** Changes a request's progress under a row lock, in the caller's transaction (with the work it counts). */
async function addProgress(
  manager: EntityManager,
  id: string,
  change: (progress: DeletionProgress) => DeletionProgress,
): Promise<void> {
  const [row] = (await manager.query(`SELECT progress FROM deletion_requests WHERE id = $1 FOR UPDATE`, [
    id,
  ])) as Array<{ progress: DeletionProgress }>;
  await manager.query(`UPDATE deletion_requests SET progress = $2, updated_at = now() WHERE id = $1`, [
    id,
    JSON.stringify(change(row!.progress)),
  ]);
}
