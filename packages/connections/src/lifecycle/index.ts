export { connectionOutcomes } from './connectionOutcomes';
export {
  disconnectConnection,
  type DisconnectDeps,
  type DisconnectInput,
  type DisconnectOutcome,
} from './disconnect';
export {
  endConnection,
  endConnectionIn,
  revocation,
  type EndConnectionDeps,
  type EndConnectionInput,
} from './endConnection';
export {
  DEFAULT_PURGE_BATCH,
  deleteSyncedRows,
  purgeConnectionData,
  SYNCED_TABLES,
  type SyncedTable,
} from './purge';
export { tokenRefreshAudit, type TokenRefreshFacts } from './tokenRefreshAudit';
