// The connect helper moved to @crm-sync/connections/testing; re-exported so engine and worker tests share one.
export { connectSandboxAccount, type SandboxConnection } from '@crm-sync/connections/testing';
export { dropRows, plantGhost, syncUntilCaughtUp, withSyncer } from './audit';
export {
  callsTo,
  engineDeps,
  hasSyncer,
  SANDBOX_BUDGET_FACTOR,
  testAccessTokens,
  testThrottle,
} from './engine';
export {
  deleteAtProvider,
  duplicateRows,
  sandboxData,
  sandboxIds,
  sandboxSnapshot,
  snapshotChecksum,
  SYNC_CASES,
  tableSnapshot,
  type SyncCase,
} from './dataset';
