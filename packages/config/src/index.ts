export { ConfigError } from './errors';
export { loadConfig, loadConfigOrExit, type Config } from './load';
export { trustProxyOption, type ConnectApiConfig, type TrustProxy } from './connectApi';
export type { TlsTrust } from './transport';
export { contentIndexConfig, DEV_CONTENT_INDEX_KEY } from './contentIndex';
export { DEV_VAULT_KEYS, parseAesKeyRing, parseVaultKeys, type VaultKeysConfig } from './keyring';
export { parseKeyRing, type KeyRingConfig } from './keyRingEntries';
export { envSchema, type AppName, type Env } from './schema';
export {
  providersConfig,
  type MailBodyConfig,
  type OAuthAppConfig,
  type GmailPushConfig,
  type ProviderEndpointsConfig,
  type ProvidersConfig,
} from './providers';
export { parseServicePolicies, PURPOSE_PATTERN, type ServicePolicy } from './servicePolicies';
export { DEV_SERVICE_TOKENS, parseServiceTokens, type ServiceToken } from './serviceTokens';
export { workerConfig, type RateLimit, type WorkerConfig } from './worker';
export { schedulerConfig, type SchedulerConfig } from './scheduler';
export {
  dashboardConfig,
  DEV_DASHBOARD_ADMIN_PASSWORD,
  DEV_DASHBOARD_PASSWORD,
  type Credential,
  type DashboardConfig,
} from './dashboard';
export {
  deletionConfig,
  DEV_RECEIPT_KEYS,
  parseReceiptKeys,
  type DeletionConfig,
  type ReceiptKeysConfig,
} from './deletion';
