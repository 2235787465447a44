import type { WriteOutcome, WriteRequest } from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { storeOutcome } from './crmRows';
import type { WritesDeps } from './deps';

/** How a write ended, and the request when it reached the provider. */
export interface Finish {
  outcome: WriteOutcome;
  write?: WriteRequest;
}

interface FinishedRow {
  id: string;
  connection_id: string;
  tenant_id: string;
  resource: WriteRequest['resource'];
}

const STATUS = { applied: 'applied', conflict: 'conflict', refused: 'refused' } as const;

/**
 * Records a write's outcome, drops its sealed request (not kept beyond need) and tells the CRM (`write.completed`
 * through the outbox) and stores the item in the CRM tables (crmRows.ts), in one transaction: the CRM hears of exactly the outcome that was recorded. A write already
 * finished (a redelivered job) changes nothing and sends nothing again.
 */
export async function finishWrite(deps: WritesDeps, row: FinishedRow, finish: Finish): Promise<void> {
  const { outcome } = finish;
  const externalId = outcome.kind === 'refused' ? null : outcome.externalId;
  const version = outcome.kind === 'refused' ? null : outcome.version;
  const reason =
    outcome.kind === 'refused'
      ? outcome.reason.slice(0, 500)
      : outcome.kind === 'conflict'
        ? 'the provider holds a newer version than the write was based on'
        : null;
  await deps.db.transaction(async (manager) => {
    const [, changed] = (await manager.query(
      `UPDATE writes SET status = $2, external_id = $3, provider_version = $4, reason = $5, request = NULL,
              finished_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [row.id, STATUS[outcome.kind], externalId, version, reason],
    )) as [unknown, number];
    if (changed !== 1) return;
    await storeOutcome(manager, deps.content, row, finish);
    await publishInTransaction(manager, QUEUE_NAMES.crmNotifications, {
      type: 'write.completed',
      tenantId: row.tenant_id,
      connectionId: row.connection_id,
      writeId: row.id,
      resource: row.resource,
      status: STATUS[outcome.kind],
      externalId,
      version,
      reason,
    });
  });
}
