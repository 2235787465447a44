import { ConfigError } from './errors';
import { parseAesKeyRing, type VaultKeysConfig } from './keyring';
import type { Env } from './schema';

/**
 * A development-only content index secret so `npm start` and the tests work on a fresh machine. It is public (it
 * is in this file), so production refuses it.
 */
export const DEV_CONTENT_INDEX_KEY = 'dev1:ZGV2LW9ubHktaW5kZXgta2V5LW5vdC1mb3ItcHJvZCE=';

/**
 * Fewer distinct byte values than this in 32 bytes is not a random key (a random one has about 30; fewer than 16
 * happens with odds far below 2^-100) but something typed or padded, e.g. `Buffer.alloc(32, 1)`.
 */
const MIN_DISTINCT_BYTES = 16;

/**
 * CONTENT_INDEX_KEY: the secrets blind indexes and the keyed content hash are derived from (packages/vault
 * `IndexKeys`, docs/encryption-at-rest.md). A ring like VAULT_KEYS, so it can rotate; production refuses the
 * development value and any key that is plainly not random.
 */
export function contentIndexConfig(env: Env): VaultKeysConfig {
  const ring = parseAesKeyRing(
    env.CONTENT_INDEX_KEY ?? DEV_CONTENT_INDEX_KEY,
    env.CONTENT_INDEX_ACTIVE_KEY_ID,
    {
      keys: 'CONTENT_INDEX_KEY',
      active: 'CONTENT_INDEX_ACTIVE_KEY_ID',
    },
  );
  // Missing in production is refused by the processes that use it (load.ts PRODUCTION_SECRETS).
  if (env.NODE_ENV !== 'production' || env.CONTENT_INDEX_KEY === undefined) return ring;
  const dev = Buffer.from(DEV_CONTENT_INDEX_KEY.split(':')[1] as string, 'base64');
  for (const [id, key] of Object.entries(ring.keys)) {
    if (key.equals(dev))
      throw new ConfigError('CONTENT_INDEX_KEY', `key "${id}" is the public development key`);
    if (new Set(key).size < MIN_DISTINCT_BYTES) {
      throw new ConfigError('CONTENT_INDEX_KEY', `key "${id}" is weak: use 32 random bytes`);
    }
  }
  return ring;
}
