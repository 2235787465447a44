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

/** The variables a key ring is read from, named in every message. */
export interface KeyRingVariables {
  keys: string;
  active: string;
}

const VAULT_VARIABLES: KeyRingVariables = { keys: 'VAULT_KEYS', active: 'VAULT_ACTIVE_KEY_ID' };

/** Parses `id:base64,id:base64`; messages name the key id, never the key material. */
export function parseVaultKeys(raw: string, activeKeyId: string | undefined): VaultKeysConfig {
  return parseKeyRing(raw, activeKeyId, VAULT_VARIABLES);
}

/** Any ring of 32-byte keys with ids and one active id (vault keys, content index keys). */
export function parseKeyRing(
  raw: string,
  activeKeyId: string | undefined,
  variables: KeyRingVariables,
): VaultKeysConfig {
  const keys: Record<string, Buffer> = {};
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    if (!KEY_ID.test(id)) {
      throw new ConfigError(
        variables.keys,
        'each entry must be <keyId>:<base64 key> with keyId [A-Za-z0-9_-]{1,32}',
      );
    }
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== 32) {
      throw new ConfigError(variables.keys, `key "${id}" must decode to 32 bytes (got ${key.length})`);
    }
    if (keys[id]) throw new ConfigError(variables.keys, `key id "${id}" appears twice`);
    keys[id] = key;
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) throw new ConfigError(variables.keys, 'at least one key is required');
  const active = activeKeyId ?? (ids.length === 1 ? ids[0] : undefined);
  if (!active) {
    throw new ConfigError(variables.active, `required when ${variables.keys} holds more than one key`);
  }
  if (!keys[active])
    throw new ConfigError(variables.active, `"${active}" is not a key id in ${variables.keys}`);
  return { activeKeyId: active, keys };
}
