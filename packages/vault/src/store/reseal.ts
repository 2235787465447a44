import type { DataSource, EntityManager } from 'typeorm';
import type { KeyRing } from '../crypto/keyring';
import { openTokens, sealTokens } from '../crypto/seal';
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

/**
 * Re-seals every credential whose key_id is not the ring's active key, in batches. `FOR UPDATE SKIP LOCKED`
 * lets it run beside live workers (and beside a second copy of itself) without waiting on their rows.
 *
 * The version column is deliberately left alone: re-sealing does not change the tokens, and the row lock
 * already orders it against any refresh. Bumping it would make a refresh that read the row just before fail
 * its `replaceIfVersion` and throw away a refresh token the provider had just rotated.
 */
export async function resealAll(
  dataSource: DataSource,
  keyRing: KeyRing,
  options: ResealOptions = {},
): Promise<ResealResult> {
  const batchSize = options.batchSize ?? DEFAULT_RESEAL_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const result: ResealResult = { resealed: 0, failed: [], remaining: 0 };
  for (;;) {
    const batch = await dataSource.transaction((manager) => resealBatch(manager, keyRing, batchSize, result));
    if (batch === 0) break;
  }
  const [row] = await dataSource.query<Array<{ count: string }>>(
    'SELECT count(*) AS count FROM credentials WHERE key_id <> $1',
    [keyRing.activeKeyId],
  );
  result.remaining = Number(row?.count ?? 0);
  return result;
}

/** Returns how many rows it looked at; 0 ends the run. */
async function resealBatch(
  manager: EntityManager,
  keyRing: KeyRing,
  batchSize: number,
  result: ResealResult,
): Promise<number> {
  const skip = result.failed.map((f) => f.connectionId);
  const rows = await manager.query<Array<{ connection_id: string; sealed: Buffer }>>(
    `SELECT connection_id, sealed FROM credentials
     WHERE key_id <> $1 AND NOT (connection_id = ANY($2::uuid[]))
     ORDER BY connection_id
     LIMIT $3
     FOR UPDATE SKIP LOCKED`,
    [keyRing.activeKeyId, skip, batchSize],
  );
  for (const row of rows) {
    let resealed: ReturnType<typeof sealTokens>;
    try {
      resealed = sealTokens(keyRing, row.connection_id, openTokens(keyRing, row.connection_id, row.sealed));
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      result.failed.push({ connectionId: row.connection_id, error: `${error.name}: ${error.message}` });
      continue;
    }
    await manager.query(
      'UPDATE credentials SET key_id = $2, sealed = $3, updated_at = now() WHERE connection_id = $1',
      [row.connection_id, resealed.keyId, resealed.sealed],
    );
    result.resealed += 1;
  }
  return rows.length;
}
