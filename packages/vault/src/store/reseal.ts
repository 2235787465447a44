import type { DataSource, EntityManager } from 'typeorm';
import { openBlob, sealBlob, type BlobPurpose } from '../crypto/blob';
import type { KeyRing } from '../crypto/keyring';
import { refreshTokenLookups } from '../crypto/refreshTokenLookups';
import { parseTokens } from '../crypto/tokens';
import { VaultError } from '../errors';

export interface ResealOptions {
  /** Rows locked and re-sealed per transaction. */
  batchSize?: number;
}

export interface ResealFailure {
  connectionId: string;
  /** The vault error's name and message: key ids and connection ids only, never key or token bytes. */
  error: string;
}

export interface ResealResult {
  resealed: number;
  /** Rows that could not be opened with this ring (e.g. their key was already removed); left untouched. */
  failed: ResealFailure[];
  /** Rows still under an old key afterwards: the failures plus rows other sessions held locked. Run again. */
  remaining: number;
}

export const DEFAULT_RESEAL_BATCH_SIZE = 100;

/** The tables whose blobs the key ring seals, one row per connection: what a rotation re-seals. */
const RING_SEALED = {
  credentials: { purpose: 'tokens', blob: 'sealed', touched: 'updated_at' },
  data_keys: { purpose: 'data-key', blob: 'wrapped', touched: 'rewrapped_at' },
} as const satisfies Record<string, { purpose: BlobPurpose; blob: string; touched: string }>;
type RingSealedTable = keyof typeof RING_SEALED;

/**
 * Re-seals every credential whose key_id is not the ring's active key, in batches. `FOR UPDATE SKIP LOCKED`
 * lets it run beside live workers (and beside a second copy of itself) without waiting on their rows.
 *
 * The version column is deliberately left alone: re-sealing does not change the tokens, and the row lock
 * already orders it against any refresh. Bumping it would make a refresh that read the row just before fail
 * its `replaceIfVersion` and throw away a refresh token the provider had just rotated.
 */
export function resealAll(
  dataSource: DataSource,
  keyRing: KeyRing,
  options: ResealOptions = {},
): Promise<ResealResult> {
  return resealTable(dataSource, keyRing, 'credentials', options);
}

/**
 * Re-wraps every data key not under the ring's active key. Only `data_keys` changes: the content rows sealed
 * under the data keys stay exactly as they are, so a rotation costs one row per connection, not a table rewrite.
 */
export function rewrapDataKeys(
  dataSource: DataSource,
  keyRing: KeyRing,
  options: ResealOptions = {},
): Promise<ResealResult> {
  return resealTable(dataSource, keyRing, 'data_keys', options);
}

async function resealTable(
  dataSource: DataSource,
  keyRing: KeyRing,
  table: RingSealedTable,
  options: ResealOptions,
): Promise<ResealResult> {
  const batchSize = options.batchSize ?? DEFAULT_RESEAL_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const result: ResealResult = { resealed: 0, failed: [], remaining: 0 };
  for (;;) {
    const batch = await dataSource.transaction((manager) =>
      resealBatch(manager, keyRing, table, batchSize, result),
    );
    if (batch === 0) break;
  }
  const [row] = await dataSource.query<Array<{ count: string }>>(
    `SELECT count(*) AS count FROM ${table} WHERE key_id <> $1`,
    [keyRing.activeKeyId],
  );
  result.remaining = Number(row?.count ?? 0);
  return result;
}

/** Returns how many rows it looked at; 0 ends the run. */
async function resealBatch(
  manager: EntityManager,
  keyRing: KeyRing,
  table: RingSealedTable,
  batchSize: number,
  result: ResealResult,
): Promise<number> {
  const { purpose, blob, touched } = RING_SEALED[table];
  const skip = result.failed.map((f) => f.connectionId);
  const rows = await manager.query<Array<{ connection_id: string; blob: Buffer }>>(
    `SELECT connection_id, ${blob} AS blob FROM ${table}
     WHERE key_id <> $1 AND NOT (connection_id = ANY($2::uuid[]))
     ORDER BY connection_id
     LIMIT $3
     FOR UPDATE SKIP LOCKED`,
    [keyRing.activeKeyId, skip, batchSize],
  );
  for (const row of rows) {
    let resealed: ReturnType<typeof sealBlob>;
    let plaintext: Buffer;
    try {
      plaintext = openBlob(keyRing, purpose, row.connection_id, row.blob);
      resealed = sealBlob(keyRing, purpose, row.connection_id, plaintext);
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      result.failed.push({ connectionId: row.connection_id, error: `${error.name}: ${error.message}` });
      continue;
    }
    await manager.query(
      `UPDATE ${table} SET key_id = $2, ${blob} = $3, ${touched} = now() WHERE connection_id = $1`,
      [row.connection_id, resealed.keyId, resealed.sealed],
    );
    if (table === 'credentials') await rekeyLookups(manager, keyRing, row.connection_id, plaintext);
    result.resealed += 1;
  }
  return rows.length;
}

/**
 * A credential's prefix MAC is keyed by the ring key its row is sealed with; re-sealing under the active key
 * rewrites it too, so it keeps matching once the old key leaves the ring (refreshTokenLookups.ts).
 */
async function rekeyLookups(
  manager: EntityManager,
  keyRing: KeyRing,
  connectionId: string,
  plaintext: Buffer,
): Promise<void> {
  const lookups = refreshTokenLookups(keyRing, parseTokens(plaintext).refreshToken);
  await manager.query(
    `UPDATE credentials SET refresh_token_digest = $2, refresh_token_prefix_mac = $3 WHERE connection_id = $1`,
    [connectionId, lookups.digest, lookups.prefixMac],
  );
}
