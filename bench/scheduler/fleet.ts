import { createHash } from 'node:crypto';
import { RESOURCES_BY_PROVIDER, type Provider } from '@crm-sync/core';
import { seedSyncStates } from '@crm-sync/sync-states/testing';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { PROVIDER_MIX, SEED } from './params';

/** Seeds `rows` sync states (rounded up to whole connections) due from `offsetSeconds`, uniformly over `spreadSeconds`. */
export async function seedStates(db: DataSource, rows: number, offsetSeconds: number, spreadSeconds: number) {
  const connections = Math.ceil(rows / 3);
  await db.query(
    `INSERT INTO connections (id, tenant_id, crm_user_id, provider, provider_account_id)
     SELECT overlay(overlay(md5($1::text || ':' || i) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid, 'bench', 'user-' || i, ($3::text[])[1 + i % $4::int], 'acct-' || i
       FROM generate_series(1, $2::int) AS i`,
    [SEED, connections, PROVIDER_MIX, PROVIDER_MIX.length],
  );
  // Ids are md5 digests with the version-4 and variant nibbles set: the job schema accepts only RFC UUIDs.
  // The due time's position in the spread is a hash of seed, connection and resource: the same on every run.
  const baseMs = Date.now() + offsetSeconds * 1_000;
  const base = new Date(baseMs).toISOString();
  const seeded = await db.query<Array<{ id: string; provider: Provider }>>(
    `SELECT id, provider FROM connections WHERE tenant_id = 'bench'`,
  );
  const states = seeded.flatMap(({ id, provider }) =>
    RESOURCES_BY_PROVIDER[provider].map((resource) => {
      const position = parseInt(
        createHash('md5').update(`${SEED}${id}${resource}`).digest('hex').slice(0, 8),
        16,
      );
      return {
        connectionId: id,
        resource,
        nextSyncAt: new Date(baseMs + spreadSeconds * 1_000 * (position / 2 ** 32)),
      };
    }),
  );
  await seedSyncStates(db, states);
  await db.query('VACUUM ANALYZE connections, sync_states');
  return { connections, rows: connections * 3, base, baseMs };
}

export async function redisUsedMemory(redis: Redis): Promise<number> {
  // UNLINK frees in the background; a baseline taken while that runs would be too high.
  for (let i = 0; i < 100; i++) {
    const info = await redis.info('memory');
    if (Number(/lazyfree_pending_objects:(\d+)/.exec(info)?.[1] ?? 0) === 0) {
      return Number(/used_memory:(\d+)/.exec(info)?.[1]);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Redis kept freeing for 10 s');
}

/** Bytes Redis holds for the keys under `prefix` (MEMORY USAGE, exact per key), and how many keys. */
export async function memoryUnder(redis: Redis, prefix: string): Promise<{ bytes: number; keys: number }> {
  let bytes = 0;
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    for (const key of batch) bytes += (await redis.memory('USAGE', key, 'SAMPLES', '0')) ?? 0;
    keys += batch.length;
    cursor = next;
  } while (cursor !== '0');
  return { bytes, keys };
}
