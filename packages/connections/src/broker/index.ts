export { authorizeBrokerUse, type BrokerGrant, type BrokeredConnection } from './authorize';
export { ConnectionCache, type ConnectionCacheOptions } from './connectionCache';
export { AuditBuffer, type AuditBufferOptions } from './auditBuffer';
export {
  proxyCall,
  PROXY_REPLAY_LIMIT_BYTES,
  type ProxiedResponse,
  type ProxyDeps,
  type ProxyRequest,
} from './proxyCall';
export { TokenCache, type TokenCacheOptions } from './tokenCache';
export { withFreshToken } from './withFreshToken';
export { issueAccessToken, type IssuedAccessToken } from './issueAccessToken';
export type {
  BrokerCaller,
  BrokerDeps,
  BrokerRefusal,
  BrokerThrottle,
  BrokerTokens,
  BrokerUse,
  BrokeredToken,
} from './types';
