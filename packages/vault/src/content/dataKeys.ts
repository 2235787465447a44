import { randomBytes } from 'node:crypto';
import { openBlob, sealBlob } from '../crypto/blob';
import type { KeyRing } from '../crypto/keyring';
import { DataKeyShreddedError, MalformedBlobError } from '../errors';
import type { SqlRunner } from '../store/credentialStore';
import { dataKey, type DataKey } from './rowSeal';

const DATA_KEY_BYTES = 32;

export interface DataKeysOptions {
  /**
   * Runs the statements that create keys; give the DataSource, never a transaction's manager: a key created in a
   * transaction that rolls back would live on in the cache and seal rows no stored key can open.
   */
  db: SqlRunner;
  keyRing: KeyRing;
  /**
   * How long an unwrapped key is reused without looking at `data_keys` again. Bounds how long another process
   * can still seal or open with a key after it was shredded (the purge that follows a shred deletes such rows).
   */
  cacheTtlMs: number;
  /** Keys held at most; the oldest go first. */
  maxCached?: number;
  now?: () => number;
}

interface Cached {
  dataKey: DataKey;
  until: number;
}

/**
 * Deletes the connections' data keys (in the caller's transaction) without holding the key ring: what a process
 * that never opens content (the scheduler's retention sweep) shreds with. Processes that cached a key keep it for at
 * most their cache period (DataKeysOptions.cacheTtlMs). Returns how many keys existed.
 */
export async function destroyDataKeys(
  executor: SqlRunner,
  connectionIds: readonly string[],
): Promise<number> {
  if (connectionIds.length === 0) return 0;
  const [, affected] = await executor.query<[unknown[], number]>(
    'DELETE FROM data_keys WHERE connection_id = ANY($1::uuid[])',
    [connectionIds],
  );
  return affected;
}

/**
 * The owner of `data_keys`: one random 256-bit data key per connection, stored wrapped by the vault's key ring
 * (AES-256-GCM, the token blob layout under its own purpose), created on first use. Shredding deletes the row,
 * which leaves every row sealed under the key unreadable (crypto-shredding); re-wrapping (store/reseal.ts)
 * changes only the wrapping, never a content row.
 */
export class DataKeys {
  readonly #cache = new Map<string, Cached>();
  readonly #now: () => number;
  readonly #maxCached: number;

  constructor(private readonly options: DataKeysOptions) {
    this.#now = options.now ?? Date.now;
    this.#maxCached = options.maxCached ?? 10_000;
  }

  /** The connection's key, created if it has none: what the write path seals with. */
  async forWrite(connectionId: string): Promise<DataKey> {
    const cached = this.#cached(connectionId);
    if (cached) return cached;
    const key = randomBytes(DATA_KEY_BYTES);
    const { keyId, sealed } = sealBlob(this.options.keyRing, 'data-key', connectionId, key);
    const created = await this.options.db.query<Array<{ connection_id: string }>>(
      // Only for a connection still active: a page written late by a slice that began before a deletion shredded
      // the key must not create a fresh one (it fails instead, as reading does: DataKeyShreddedError).
      `INSERT INTO data_keys (connection_id, key_id, wrapped)
       SELECT $1::uuid, $2::text, $3::bytea
        WHERE EXISTS (SELECT 1 FROM connections WHERE id = $1::uuid AND status = 'active')
       ON CONFLICT (connection_id) DO NOTHING RETURNING connection_id`,
      [connectionId, keyId, sealed],
    );
    if (created.length === 1) return this.#remember(dataKey(connectionId, key));
    return this.forRead(connectionId);
  }

  /** The connection's key for opening rows; DataKeyShreddedError when it has none (shredded). */
  async forRead(connectionId: string): Promise<DataKey> {
    const cached = this.#cached(connectionId);
    if (cached) return cached;
    const rows = await this.options.db.query<Array<{ wrapped: Buffer }>>(
      'SELECT wrapped FROM data_keys WHERE connection_id = $1',
      [connectionId],
    );
    const row = rows[0];
    if (!row) throw new DataKeyShreddedError(connectionId);
    const key = openBlob(this.options.keyRing, 'data-key', connectionId, row.wrapped);
    if (key.length !== DATA_KEY_BYTES) throw new MalformedBlobError('wrapped data key has the wrong size');
    return this.#remember(dataKey(connectionId, key));
  }

  /**
   * Destroys the connections' data keys (in the caller's transaction, e.g. a deletion's) and forgets them here.
   * Returns how many keys existed.
   */
  async shred(executor: SqlRunner, connectionIds: readonly string[]): Promise<number> {
    for (const id of connectionIds) this.#cache.delete(id);
    return destroyDataKeys(executor, connectionIds);
  }

  #cached(connectionId: string): DataKey | undefined {
    const entry = this.#cache.get(connectionId);
    if (!entry) return undefined;
    if (entry.until > this.#now()) return entry.dataKey;
    this.#cache.delete(connectionId);
    return undefined;
  }

  #remember(made: DataKey): DataKey {
    if (this.#cache.size >= this.#maxCached) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(made.connectionId, { dataKey: made, until: this.#now() + this.options.cacheTtlMs });
    return made;
  }

  toJSON(): { cached: number } {
    return { cached: this.#cache.size };
  }
}
