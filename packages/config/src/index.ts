export { ConfigError } from './errors';
export { loadConfig, loadConfigOrExit, type Config } from './load';
export { DEV_VAULT_KEYS, parseVaultKeys, type VaultKeysConfig } from './keyring';
export { envSchema, type Env } from './schema';
