import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { KeyRing } from '../crypto/keyring';
import { ConnectionMismatchError, DataKeyShreddedError } from '../errors';
import { CredentialStore } from '../store/credentialStore';
import { rewrapDataKeys } from '../store/reseal';
import { insertConnection, randomKey } from '../../test/fixtures';
import { DataKeys } from './dataKeys';
import { openRow, sealRow } from './rowSeal';

let db: TestDatabase;
const keyA = randomKey();
const ringA = new KeyRing({ activeKeyId: 'a', keys: { a: keyA } });
const ringAB = new KeyRing({ activeKeyId: 'b', keys: { a: keyA, b: randomKey() } });
const keysOf = (keyRing: KeyRing) => new DataKeys({ db: db.dataSource, keyRing, cacheTtlMs: 60_000 });

beforeAll(async () => {
  db = await createTestDatabase();
  // A stand-in content table: the vault must rotate without touching whatever is sealed under the data keys.
  await db.dataSource.query(`CREATE TABLE sealed_probe (connection_id uuid, item text, sealed bytea)`);
});
afterAll(async () => {
  await db?.drop();
});

const address = (item: string) => ({ table: 'sealed_probe', rowKey: [item] });

describe('DataKeys', () => {
  it('creates a key on first use, stores it wrapped, and gives the same key afterwards and elsewhere', async () => {
    const id = await insertConnection(db.dataSource);
    const first = await keysOf(ringA).forWrite(id);
    const again = await keysOf(ringA).forWrite(id);
    const read = await keysOf(ringA).forRead(id);
    expect(again.key.equals(first.key)).toBe(true);
    expect(read.key.equals(first.key)).toBe(true);
    const [row] = await db.dataSource.query<Array<{ key_id: string; wrapped: Buffer }>>(
      'SELECT key_id, wrapped FROM data_keys WHERE connection_id = $1',
      [id],
    );
    expect(row!.key_id).toBe('a');
    expect(row!.wrapped.includes(first.key.export())).toBe(false);
  });

  it('agrees on one key when several processes create it at once', async () => {
    const id = await insertConnection(db.dataSource);
    const made = await Promise.all([1, 2, 3, 4].map(() => keysOf(ringA).forWrite(id)));
    for (const k of made) expect(k.key.equals(made[0]!.key)).toBe(true);
  });

  it('refuses a wrapped key copied to another connection, and a token blob copied in as a data key', async () => {
    const [one, two] = [await insertConnection(db.dataSource), await insertConnection(db.dataSource)];
    await keysOf(ringA).forWrite(one);
    await db.dataSource.query(
      `INSERT INTO data_keys (connection_id, key_id, wrapped)
       SELECT $2, key_id, wrapped FROM data_keys WHERE connection_id = $1`,
      [one, two],
    );
    await expect(keysOf(ringA).forRead(two)).rejects.toThrow(ConnectionMismatchError);
    const three = await insertConnection(db.dataSource);
    await new CredentialStore({ db: db.dataSource, keyRing: ringA }).save(three, { accessToken: 'x' }, null);
    await db.dataSource.query(
      `INSERT INTO data_keys (connection_id, key_id, wrapped)
       SELECT connection_id, key_id, sealed FROM credentials WHERE connection_id = $1`,
      [three],
    );
    await expect(keysOf(ringA).forRead(three)).rejects.toThrow(ConnectionMismatchError);
  });

  it('shreds: the connection reads fail with a typed error, other connections read fine', async () => {
    const [gone, kept] = [await insertConnection(db.dataSource), await insertConnection(db.dataSource)];
    const keys = keysOf(ringA);
    const sealedGone = sealRow(await keys.forWrite(gone), address('x'), { subject: 'secret' });
    const sealedKept = sealRow(await keys.forWrite(kept), address('x'), { subject: 'kept' });
    expect(await keys.shred(db.dataSource, [gone])).toBe(1);
    // The shredding process forgets at once; a fresh process finds no key either.
    for (const reader of [keys, keysOf(ringA)]) {
      await expect(reader.forRead(gone)).rejects.toThrow(DataKeyShreddedError);
      expect(openRow(await reader.forRead(kept), address('x'), sealedKept)).toEqual({ subject: 'kept' });
    }
    expect(sealedGone.length).toBeGreaterThan(0);
    await expect(keys.forRead(gone)).rejects.toThrow(/was shredded/);
  });

  it('holds an unwrapped key for its cache period only', async () => {
    const id = await insertConnection(db.dataSource);
    let now = 1_000;
    const keys = new DataKeys({ db: db.dataSource, keyRing: ringA, cacheTtlMs: 100, now: () => now });
    await keys.forWrite(id);
    await db.dataSource.query('DELETE FROM data_keys WHERE connection_id = $1', [id]);
    await expect(keys.forRead(id)).resolves.toBeDefined();
    now += 101;
    await expect(keys.forRead(id)).rejects.toThrow(DataKeyShreddedError);
  });

  it('rotation re-wraps the data keys only: content rows are untouched and open under the new ring alone', async () => {
    await db.dataSource.query('DELETE FROM data_keys');
    const ids = [await insertConnection(db.dataSource), await insertConnection(db.dataSource)];
    for (const id of ids) {
      const sealed = sealRow(await keysOf(ringA).forWrite(id), address(id), { subject: `for ${id}` });
      await db.dataSource.query('INSERT INTO sealed_probe VALUES ($1, $2, $3)', [id, id, sealed]);
    }
    const before = await db.dataSource.query<Array<{ xmin: string; sealed: Buffer }>>(
      'SELECT xmin::text, sealed FROM sealed_probe ORDER BY item',
    );
    const result = await rewrapDataKeys(db.dataSource, ringAB, { batchSize: 1 });
    expect(result).toEqual({ resealed: 2, failed: [], remaining: 0 });
    expect(await db.dataSource.query('SELECT xmin::text, sealed FROM sealed_probe ORDER BY item')).toEqual(
      before,
    );
    const ringB = new KeyRing({ activeKeyId: 'b', keys: { b: ringAB.active().key } });
    for (const id of ids) {
      const [row] = await db.dataSource.query<Array<{ sealed: Buffer }>>(
        'SELECT sealed FROM sealed_probe WHERE item = $1',
        [id],
      );
      expect(openRow(await keysOf(ringB).forRead(id), address(id), row!.sealed)).toEqual({
        subject: `for ${id}`,
      });
    }
  });

  it('creates no key for a connection that does not exist or is no longer active (a late page after a shred)', async () => {
    const missing = randomUUID();
    await expect(keysOf(ringA).forWrite(missing)).rejects.toThrow(DataKeyShreddedError);
    const ended = await insertConnection(db.dataSource);
    await db.dataSource.query(`UPDATE connections SET status = 'disconnected' WHERE id = $1`, [ended]);
    await expect(keysOf(ringA).forWrite(ended)).rejects.toThrow(DataKeyShreddedError);
    expect(
      await db.dataSource.query(`SELECT 1 FROM data_keys WHERE connection_id = ANY($1::uuid[])`, [
        [missing, ended],
      ]),
    ).toEqual([]);
  });
});
