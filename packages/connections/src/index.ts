export {
  attachmentContent,
  type AttachmentContentOutcome,
  type AttachmentContentRequest,
  type AttachmentFile,
} from './attachments/attachmentContent';
export {
  driveFileContent,
  type DriveFileContentOutcome,
  type DriveFileContentRequest,
} from './drive/driveFileContent';
export { writeAudit, type AuditEntry } from './audit';
export { connectionLog, type ConnectionLogEntry, type ConnectionLogPage } from './connectionLog';
export { completeConnect, type CallbackOutcome, type CallbackParams } from './completeConnect';
export type { ConnectionsDeps } from './deps';
export { ConnectionGenerations, type ConnectionGenerationsOptions } from './generations';
export { ConnectRequestError } from './errors';
export { missingScopesByResource } from './scopes';
export { startConnect, type ConnectRequest } from './startConnect';
export {
  DEFAULT_STATE_TTL_SECONDS,
  OAuthStateStore,
  type PendingConnect,
  type StateStoreOptions,
} from './stateStore';
export {
  connectionCounts,
  getConnection,
  listConnections,
  type ConnectionFilter,
  type ConnectionView,
  type AuditView,
  type SyncStateView,
} from './queries';
export { requestDisconnect, requestSync, type RequestOutcome } from './requests';
export {
  connectionOutcomes,
  DEFAULT_PURGE_BATCH,
  SYNCED_TABLES,
  tokenRefreshAudit,
  type TokenRefreshFacts,
  disconnectConnection,
  endConnection,
  purgeConnectionData,
  type DisconnectDeps,
  type DisconnectInput,
  type DisconnectOutcome,
  type EndConnectionDeps,
  type EndConnectionInput,
} from './lifecycle';
export {
  deletionRequestOf,
  receiptKeySet,
  RECEIPT_TYPE,
  recordDeletionRequest,
  requestDeletion,
  runDeletion,
  type DeletionDeps,
  type DeletionReceipt,
  type DeletionRequestRow,
  type ReceiptKeySet,
  type ReceiptSigning,
  shredDataKeys,
  type ShredConnections,
} from './deletion';
export {
  retentionDays,
  setRetentionDays,
  sweepRetention,
  type RetentionSweepDeps,
  type RetentionSweepResult,
} from './retention';
export {
  acceptEvent,
  handleConnectionEvent,
  type EventDeps,
  type EventResult,
  type LifecycleEvent,
} from './events';
export {
  authorizeBrokerUse,
  issueAccessToken,
  proxyCall,
  AuditBuffer,
  TokenCache,
  withFreshToken,
  ConnectionCache,
  PROXY_REPLAY_LIMIT_BYTES,
  type ProxiedResponse,
  type ProxyDeps,
  type ProxyRequest,
  type BrokerCaller,
  type BrokerDeps,
  type BrokerGrant,
  type BrokerRefusal,
  type BrokerThrottle,
  type BrokerTokens,
  type BrokeredConnection,
  type IssuedAccessToken,
} from './broker';
export { receiveDelivery, type DeliveryOutcome, type HandledNotice, type NoticeDeps } from './notices';
export { PushKeeper, type KeeperPass, type PushKeeperDeps, type PushKeeperOptions } from './push/keeper';
