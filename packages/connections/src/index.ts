export { writeAudit, type AuditEntry } from './audit';
export { connectionLog, type ConnectionLogEntry } from './connectionLog';
export { completeConnect, type CallbackOutcome, type CallbackParams } from './completeConnect';
export type { ConnectionsDeps } from './deps';
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
  deleteUserData,
  disconnectConnection,
  endConnection,
  purgeConnectionData,
  type DisconnectDeps,
  type DisconnectInput,
  type DisconnectOutcome,
  type EndConnectionDeps,
  type EndConnectionInput,
} from './lifecycle';
export { acceptEvent, handleConnectionEvent, type EventDeps, type EventResult } from './events';
export {
  authorizeBrokerUse,
  issueAccessToken,
  proxyCall,
  PROXY_REPLAY_LIMIT_BYTES,
  type ProxiedResponse,
  type ProxyRequest,
  type BrokerCaller,
  type BrokerDeps,
  type BrokerGrant,
  type BrokerRefusal,
  type BrokerTokens,
  type BrokeredConnection,
  type IssuedAccessToken,
} from './broker';
export {
  receiveDelivery,
  ReplayCache,
  type DeliveryOutcome,
  type HandledNotice,
  type NoticeDeps,
} from './notices';
