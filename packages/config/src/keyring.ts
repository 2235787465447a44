import { ConfigError } from './errors';
import { parseKeyRing, type KeyRingConfig } from './keyRingEntries';

export type VaultKeysConfig = KeyRingConfig<Buffer>;

/**
 * A development-only key so `npm start` works on a fresh machine. It is public (it is in this file), so the
 * schema refuses it when NODE_ENV=production.
 */
export const DEV_VAULT_KEYS = 'dev1:ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=';

/** The variables a ring of 32-byte keys is read from, named in every message. */
export interface KeyRingVariables {
  keys: string;
  active: string;
}

/** Parses `id:base64,id:base64` (32-byte AES keys). */
export function parseVaultKeys(raw: string, activeKeyId: string | undefined): VaultKeysConfig {
  return parseAesKeyRing(raw, activeKeyId, { keys: 'VAULT_KEYS', active: 'VAULT_ACTIVE_KEY_ID' });
}

/** Any ring of 32-byte keys with ids and one active id (vault keys, content index keys). */
export function parseAesKeyRing(
  raw: string,
  activeKeyId: string | undefined,
  variables: KeyRingVariables,
): VaultKeysConfig {
  return parseKeyRing(raw, activeKeyId, {
    variable: variables.keys,
    activeVariable: variables.active,
    keyFormat: 'base64 key',
    decode: (id, base64) => {
      const key = Buffer.from(base64, 'base64');
      if (key.length !== 32) {
        throw new ConfigError(variables.keys, `key "${id}" must decode to 32 bytes (got ${key.length})`);
      }
      return key;
    },
  });
}
