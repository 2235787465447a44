import { ConfigError } from './errors';
import { parseKeyRing, type KeyRingConfig } from './keyRingEntries';

export type VaultKeysConfig = KeyRingConfig<Buffer>;

/**
 * A development-only key so `npm start` works on a fresh machine. It is public (it is in this file), so the
 * schema refuses it when NODE_ENV=production.
 */
export const DEV_VAULT_KEYS = 'dev1:ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=';

/** Parses `id:base64,id:base64` (32-byte AES keys). */
export function parseVaultKeys(raw: string, activeKeyId: string | undefined): VaultKeysConfig {
  return parseKeyRing(raw, activeKeyId, {
    variable: 'VAULT_KEYS',
    activeVariable: 'VAULT_ACTIVE_KEY_ID',
    keyFormat: 'base64 key',
    decode: (id, base64) => {
      const key = Buffer.from(base64, 'base64');
      if (key.length !== 32) {
        throw new ConfigError('VAULT_KEYS', `key "${id}" must decode to 32 bytes (got ${key.length})`);
      }
      return key;
    },
  });
}
