import type { Resource, SyncPosition } from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { syncStates, type SliceConnection } from '@crm-sync/sync-states';
import type { EntityManager } from 'typeorm';
import { ROUND_COUNTERS, type RoundReport } from '../types';

/**
 * In the transaction of the page that finishes a round: the whole round's figures (it may have spanned many
 * slices) for the worker's one log line per round, and the `sync.completed` notification when the round changed
 * anything (quiet rounds, most incremental ones, send nothing), recorded in the outbox so it goes out exactly when
 * the round's last page commits.
 */
export async function finishRound(
  manager: EntityManager,
  place: { connection: SliceConnection; resource: Resource },
  mode: SyncPosition['mode'],
  now: Date,
): Promise<RoundReport> {
  const { connection, resource } = place;
  const summary = await syncStates.roundSummary(manager, connection.id, resource);
  const counts = Object.fromEntries(
    ROUND_COUNTERS.map((key) => [key, summary.counters[key] ?? 0]),
  ) as RoundReport['counts'];
  const startedAt = summary.startedAt?.getTime() ?? now.getTime();
  const round = { mode, counts, pages: summary.pages, durationMs: Math.max(0, now.getTime() - startedAt) };
  // Rows a full round swept are deletions to the CRM like the ones the provider reported.
  const deleted = counts.deleted + counts.swept;
  if (counts.added + counts.updated + deleted === 0) return round;
  await publishInTransaction(
    manager,
    QUEUE_NAMES.crmNotifications,
    {
      type: 'sync.completed',
      tenantId: connection.tenantId,
      connectionId: connection.id,
      resource,
      added: counts.added,
      updated: counts.updated,
      deleted,
    },
    now,
  );
  return round;
}
