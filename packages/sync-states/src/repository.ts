import { claimDueAudits, lockPosition, recordAudit, scheduleAudits } from './audits';
import { createForConnection, deleteForConnections, disableConnection } from './connections';
import { claimDue, scheduleClaimed, setPushUntil, triggerNow } from './due';
import { freshness } from './freshness';
import { deferThrottled, disable, recordCursorReset, recordRateLimited, recordTransient } from './failures';
import { advancePosition, loadSlice, markRunning, requeue, roundSummary, startFullRound } from './slices';

/**
 * Every write to `sync_states`, and the reads that go with them. Each operation takes a `SqlExecutor`: the
 * DataSource, or a transaction's EntityManager when the write must commit with other rows (a page and its
 * position, a disable and its audit row, a claim and its enqueue).
 */
export const syncStates = {
  // a connection's resources
  createForConnection,
  disableConnection,
  deleteForConnections,
  // the scheduler and on-demand syncs
  claimDue,
  scheduleClaimed,
  triggerNow,
  // push channels' health (docs/push.md)
  setPushUntil,
  // a slice
  loadSlice,
  markRunning,
  advancePosition,
  startFullRound,
  roundSummary,
  requeue,
  // a slice's failures
  recordTransient,
  recordRateLimited,
  deferThrottled,
  recordCursorReset,
  disable,
  // the completeness audit
  claimDueAudits,
  scheduleAudits,
  lockPosition,
  recordAudit,
  // fleet figures (the scheduler's metrics)
  freshness,
} as const;
