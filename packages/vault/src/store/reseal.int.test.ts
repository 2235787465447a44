import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { KeyRing } from '../crypto/keyring';
import { sealTokens } from '../crypto/seal';
import { insertConnection, randomKey } from '../../test/fixtures';
import { CredentialStore } from './credentialStore';
import { resealAll } from './reseal';

let db: TestDatabase;
const keyA = randomKey();
const keyB = randomKey();
const ringA = new KeyRing({ activeKeyId: 'a', keys: { a: keyA } });
const ringAB = new KeyRing({ activeKeyId: 'b', keys: { a: keyA, b: keyB } });
const ringB = new KeyRing({ activeKeyId: 'b', keys: { b: keyB } });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.dataSource.query('DELETE FROM credentials');
});

async function seedUnderA(count: number): Promise<string[]> {
  const store = new CredentialStore({ db: db.dataSource, keyRing: ringA });
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = await insertConnection(db.dataSource);
    await store.save(id, { accessToken: `access-${i}`, refreshToken: `refresh-${i}` }, null);
    ids.push(id);
  }
  return ids;
}

async function keyIds(): Promise<string[]> {
  const rows = await db.dataSource.query<Array<{ key_id: string }>>('SELECT key_id FROM credentials');
  return rows.map((r) => r.key_id);
}

describe('resealAll', () => {
  it('moves every row to the active key in batches, so the old key can be removed', async () => {
    const ids = await seedUnderA(7);
    const afterRotation = new CredentialStore({ db: db.dataSource, keyRing: ringB });
    // The prefix MAC is keyed by the row's ring key: the new ring alone cannot find it before the reseal…
    expect(await afterRotation.connectionsHolding({ alg: 'prefix', value: 'refresh-2' })).toEqual([]);
    const result = await resealAll(db.dataSource, ringAB, { batchSize: 3 });
    expect(result).toEqual({ resealed: 7, failed: [], remaining: 0 });
    expect(new Set(await keyIds())).toEqual(new Set(['b']));
    // …and after it, it does: the reseal rewrote the MAC under the new key.
    expect(await afterRotation.connectionsHolding({ alg: 'prefix', value: 'refresh-2' })).toEqual([ids[2]]);

    for (const [i, id] of ids.entries()) {
      expect(await afterRotation.load(id)).toMatchObject({
        tokens: { accessToken: `access-${i}`, refreshToken: `refresh-${i}` },
        keyId: 'b',
      });
    }
    expect(await resealAll(db.dataSource, ringB)).toEqual({ resealed: 0, failed: [], remaining: 0 });
  });

  it('keeps versions, so a refresh that read the row before the reseal still wins', async () => {
    const [id] = (await seedUnderA(1)) as [string];
    const refresher = new CredentialStore({ db: db.dataSource, keyRing: ringAB });
    const before = await refresher.load(id);
    await resealAll(db.dataSource, ringAB);
    const rotated = { accessToken: 'access-new', refreshToken: 'refresh-rotated' };
    expect(await refresher.replaceIfVersion(id, before?.version as number, rotated, null)).toBe(true);
    expect((await refresher.load(id))?.tokens).toEqual(rotated);
  });

  it('reports rows it cannot open and reseals the rest', async () => {
    const ids = await seedUnderA(2);
    const stray = await insertConnection(db.dataSource);
    const ringX = new KeyRing({ activeKeyId: 'x', keys: { x: randomKey() } });
    const sealed = sealTokens(ringX, stray, { accessToken: 'under-x' });
    await db.dataSource.query('INSERT INTO credentials (connection_id, key_id, sealed) VALUES ($1, $2, $3)', [
      stray,
      sealed.keyId,
      sealed.sealed,
    ]);
    const result = await resealAll(db.dataSource, ringAB, { batchSize: 1 });
    expect(result.resealed).toBe(ids.length);
    expect(result.failed).toEqual([
      { connectionId: stray, error: 'UnknownKeyIdError: no key with id "x" in the key ring' },
    ]);
    expect(result.remaining).toBe(1);
  });

  it('skips rows another session holds locked and leaves them for the next run', async () => {
    const [locked, free] = (await seedUnderA(2)) as [string, string];
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('SELECT 1 FROM credentials WHERE connection_id = $1 FOR UPDATE', [locked]);
      const first = await resealAll(db.dataSource, ringAB);
      expect(first).toEqual({ resealed: 1, failed: [], remaining: 1 });
      const rows = await db.dataSource.query('SELECT key_id FROM credentials WHERE connection_id = $1', [
        free,
      ]);
      expect(rows[0].key_id).toBe('b');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await resealAll(db.dataSource, ringAB)).toEqual({ resealed: 1, failed: [], remaining: 0 });
  });

  it('rejects a batch size that is not a positive integer', async () => {
    await expect(resealAll(db.dataSource, ringAB, { batchSize: 0 })).rejects.toThrow(RangeError);
  });
});
