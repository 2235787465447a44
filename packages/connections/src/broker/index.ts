export { authorizeBrokerUse, type BrokerGrant, type BrokeredConnection } from './authorize';
export { issueAccessToken, type IssuedAccessToken } from './issueAccessToken';
export type {
  BrokerCaller,
  BrokerDeps,
  BrokerRefusal,
  BrokerTokens,
  BrokerUse,
  BrokeredToken,
} from './types';
