export { authorizeBrokerUse, type BrokerGrant, type BrokeredConnection } from './authorize';
export { proxyCall, PROXY_REPLAY_LIMIT_BYTES, type ProxiedResponse, type ProxyRequest } from './proxyCall';
export { issueAccessToken, type IssuedAccessToken } from './issueAccessToken';
export type {
  BrokerCaller,
  BrokerDeps,
  BrokerRefusal,
  BrokerTokens,
  BrokerUse,
  BrokeredToken,
} from './types';
