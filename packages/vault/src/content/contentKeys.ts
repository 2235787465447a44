import type { KeyRing } from '../crypto/keyring';
import type { SqlRunner } from '../store/credentialStore';
import type { KeyRingOptions } from '../types';
import { DataKeys } from './dataKeys';
import { IndexKeys } from './indexKeys';

/**
 * What sealing and opening synced content needs (docs/encryption-at-rest.md): the connections' data keys and the
 * keys of blind index terms and the keyed content hash. One pair per process, built from VAULT_KEYS and
 * CONTENT_INDEX_KEY.
 */
export interface ContentKeys {
  dataKeys: DataKeys;
  indexKeys: IndexKeys;
}

/**
 * How long an unwrapped data key is reused before `data_keys` is read again: bounds how long a process can still
 * use a key another process shredded (the purge after a shred deletes what it wrote meanwhile).
 */
export const DATA_KEY_CACHE_TTL_MS = 60_000;

/** The process's content keys: data keys wrapped by the vault's ring, index keys from the content index ring. */
export function createContentKeys(options: {
  /** The DataSource (see DataKeysOptions.db). */
  db: SqlRunner;
  keyRing: KeyRing;
  index: KeyRingOptions;
  cacheTtlMs?: number;
}): ContentKeys {
  return {
    dataKeys: new DataKeys({
      db: options.db,
      keyRing: options.keyRing,
      cacheTtlMs: options.cacheTtlMs ?? DATA_KEY_CACHE_TTL_MS,
    }),
    indexKeys: new IndexKeys(options.index),
  };
}
