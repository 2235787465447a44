import { loadConfig } from '@crm-sync/config';
import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { KeyRing } from '../crypto/keyring';
import { CredentialStore } from '../store/credentialStore';
import { insertConnection, randomKey } from '../../test/fixtures';
import { EXIT, runReseal, USAGE } from './resealCommand';

let db: TestDatabase;
const keyA = randomKey();
const keyB = randomKey();

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function configFor(activeKeyId: string, keys: Record<string, Buffer>) {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    VAULT_KEYS: Object.entries(keys)
      .map(([id, key]) => `${id}:${key.toString('base64')}`)
      .join(','),
    VAULT_ACTIVE_KEY_ID: activeKeyId,
  });
}

describe('vault:reseal command', () => {
  it('re-seals under the configured active key and prints a summary without key material', async () => {
    const id = await insertConnection(db.dataSource);
    const store = new CredentialStore({
      db: db.dataSource,
      keyRing: new KeyRing({ activeKeyId: 'a', keys: { a: keyA } }),
    });
    await store.save(id, { accessToken: 'cli-access' }, null);

    const lines: string[] = [];
    const code = await runReseal(configFor('b', { a: keyA, b: keyB }), ['--batch-size', '10'], (l) =>
      lines.push(l),
    );
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(lines[0] as string)).toEqual({
      activeKeyId: 'b',
      resealed: 1,
      failed: [],
      remaining: 0,
      dataKeys: { resealed: 0, failed: [], remaining: 0 },
    });
    expect(lines.join('\n')).not.toContain(keyA.toString('base64'));

    const rotated = new CredentialStore({
      db: db.dataSource,
      keyRing: new KeyRing({ activeKeyId: 'b', keys: { b: keyB } }),
    });
    expect((await rotated.load(id))?.tokens).toEqual({ accessToken: 'cli-access' });
  });

  it('exits non-zero while a row is still under a key it cannot open', async () => {
    const id = await insertConnection(db.dataSource);
    const stranger = new KeyRing({ activeKeyId: 'z', keys: { z: randomKey() } });
    await new CredentialStore({ db: db.dataSource, keyRing: stranger }).save(
      id,
      { accessToken: 'lost' },
      null,
    );
    const lines: string[] = [];
    expect(await runReseal(configFor('b', { b: keyB }), [], (l) => lines.push(l))).toBe(EXIT.unfinished);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ remaining: 1, failed: [{ connectionId: id }] });
    await db.dataSource.query('DELETE FROM credentials WHERE connection_id = $1', [id]);
  });

  it.each([['--batch-size=0'], ['--batch-size=abc'], ['--unknown']])('prints usage for %s', async (arg) => {
    const lines: string[] = [];
    expect(await runReseal(configFor('b', { b: keyB }), [arg], (l) => lines.push(l))).toBe(EXIT.usage);
    expect(lines).toEqual([USAGE]);
  });
});
