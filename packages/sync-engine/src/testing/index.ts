export { connectSandboxAccount, type SandboxConnection } from './connect';
export { callsTo, engineDeps, hasSyncer, testAccessTokens } from './engine';
export {
  duplicateRows,
  sandboxSnapshot,
  snapshotChecksum,
  SYNC_CASES,
  tableSnapshot,
  type SyncCase,
} from './dataset';
