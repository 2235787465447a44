import { ConfigError } from './errors';

export interface VaultKeysConfig {
  activeKeyId: string;
  keys: Record<string, Buffer>;
}

/**
 * A development-only key so `npm start` works on a fresh machine. It is public (it is in this file), so the
 * schema refuses it when NODE_ENV=production.
 */
export const DEV_VAULT_KEYS = 'dev1:ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `id:base64,id:base64`; messages name the key id, never the key material. */
export function parseVaultKeys(raw: string, activeKeyId: string | undefined): VaultKeysConfig {
  const keys: Record<string, Buffer> = {};
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    if (!KEY_ID.test(id)) {
      throw new ConfigError(
        'VAULT_KEYS',
        'each entry must be <keyId>:<base64 key> with keyId [A-Za-z0-9_-]{1,32}',
      );
    }
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== 32) {
      throw new ConfigError('VAULT_KEYS', `key "${id}" must decode to 32 bytes (got ${key.length})`);
    }
    if (keys[id]) throw new ConfigError('VAULT_KEYS', `key id "${id}" appears twice`);
    keys[id] = key;
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) throw new ConfigError('VAULT_KEYS', 'at least one key is required');
  const active = activeKeyId ?? (ids.length === 1 ? ids[0] : undefined);
  if (!active) {
    throw new ConfigError('VAULT_ACTIVE_KEY_ID', 'required when VAULT_KEYS holds more than one key');
  }
  if (!keys[active])
    throw new ConfigError('VAULT_ACTIVE_KEY_ID', `"${active}" is not a key id in VAULT_KEYS`);
  return { activeKeyId: active, keys };
}
