import { QUEUE_NAMES, syncJobId } from '@crm-sync/core';
import type { JobProducer } from '@crm-sync/queue';
import { syncStates } from '@crm-sync/sync-states';
import type { DataSource } from 'typeorm';

export interface AuditDispatchDeps {
  db: DataSource;
  producer: JobProducer;
  /** From one audit of a resource to the next, with the syncs' jitter ratio on top. */
  auditIntervalMs: number;
  jitterRatio: number;
  batchSize: number;
  random?: () => number;
}

/**
 * Enqueues every completeness audit that is due on the audit queue, in batches claimed like syncs (SKIP LOCKED, the
 * next due time written in the claiming transaction, the dedupe key dropping a repeat). The audits' provider quota
 * is the worker's business (`AuditCallBudget`); this only decides when each resource's turn comes.
 */
export async function dispatchDueAudits(deps: AuditDispatchDeps): Promise<{ enqueued: number }> {
  let enqueued = 0;
  for (;;) {
    const claimed = await deps.db.transaction(async (manager) => {
      const due = await syncStates.claimDueAudits(manager, deps.batchSize, deps.auditIntervalMs);
      if (due.length === 0) return 0;
      await deps.producer.enqueueBulk(
        QUEUE_NAMES.audit,
        due.map(({ connectionId, resource }) => {
          const payload = { connectionId, resource };
          return { name: resource, payload, options: { dedupeId: syncJobId(payload) } };
        }),
      );
      const random = deps.random ?? Math.random;
      await syncStates.scheduleAudits(
        manager,
        due.map((d) => ({ ...d, delayMs: deps.auditIntervalMs * (1 + deps.jitterRatio * random()) })),
      );
      return due.length;
    });
    enqueued += claimed;
    if (claimed < deps.batchSize) return { enqueued };
  }
}
