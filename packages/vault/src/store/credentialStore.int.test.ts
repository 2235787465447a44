import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { KeyRing } from '../crypto/keyring';
import { refreshTokenDigest } from '../crypto/refreshTokenLookups';
import { ConnectionMismatchError } from '../errors';
import type { TokenSet } from '../types';
import { CredentialStore } from './credentialStore';
import { insertConnection, randomKey } from '../../test/fixtures';

const run = promisify(execFile);

let db: TestDatabase;
let store: CredentialStore;
const keyRing = new KeyRing({ activeKeyId: 'k1', keys: { k1: randomKey() } });

function tokensFor(label: string): TokenSet {
  const unique = randomUUID();
  return {
    accessToken: `ya29.${label}-access-${unique}`,
    refreshToken: `1//${label}-refresh-${unique}`,
    idToken: `eyJ.${label}-id-${unique}`,
    scope: ['openid'],
    tokenType: 'Bearer',
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  store = new CredentialStore({ db: db.dataSource, keyRing });
});
afterAll(async () => {
  await db?.drop();
});

describe('CredentialStore', () => {
  it('saves and loads tokens with expiry, version and key id', async () => {
    const id = await insertConnection(db.dataSource);
    const tokens = tokensFor('save');
    const expiresAt = new Date('2030-01-01T00:00:00.000Z');
    expect(await store.save(id, tokens, expiresAt)).toBe(1);
    expect(await store.load(id)).toEqual({ tokens, expiresAt, version: 1, keyId: 'k1' });
  });

  it('returns null for a connection without credentials', async () => {
    expect(await store.load(await insertConnection(db.dataSource))).toBeNull();
  });

  it('replaces on a second save and bumps the version', async () => {
    const id = await insertConnection(db.dataSource);
    await store.save(id, tokensFor('first'), null);
    const second = tokensFor('second');
    expect(await store.save(id, second, null)).toBe(2);
    expect(await store.load(id)).toMatchObject({ tokens: second, version: 2, expiresAt: null });
  });

  it('restarts the refresh token issue time on a grant and on a rotating refresh only', async () => {
    const id = await insertConnection(db.dataSource);
    const issued = async () =>
      (
        await db.dataSource.query(
          `SELECT refresh_token_issued_at AS at FROM credentials WHERE connection_id = $1`,
          [id],
        )
      )[0].at as Date;
    const backdate = () =>
      db.dataSource.query(
        `UPDATE credentials SET refresh_token_issued_at = '2026-01-01T00:00:00Z' WHERE connection_id = $1`,
        [id],
      );
    await store.save(id, tokensFor('grant'), null);
    expect(Date.now() - (await issued()).getTime()).toBeLessThan(60_000);
    await backdate();
    expect(await store.replaceIfVersion(id, 1, tokensFor('same-refresh-token'), null, false)).toBe(true);
    expect((await issued()).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(await store.replaceIfVersion(id, 2, tokensFor('rotated'), null, true)).toBe(true);
    expect(Date.now() - (await issued()).getTime()).toBeLessThan(60_000);
    await backdate();
    await store.save(id, tokensFor('reconnect'), null);
    expect(Date.now() - (await issued()).getTime()).toBeLessThan(60_000);
  });

  it('lets only the first of two concurrent refreshes win and keeps its rotated refresh token', async () => {
    const id = await insertConnection(db.dataSource);
    await store.save(id, tokensFor('original'), null);
    const read = (await store.load(id))?.version as number;
    const winner = tokensFor('winner');
    const loser = tokensFor('loser');
    const expiry = new Date('2031-05-05T05:05:05.000Z');
    expect(await store.replaceIfVersion(id, read, winner, expiry)).toBe(true);
    expect(await store.replaceIfVersion(id, read, loser, null)).toBe(false);
    expect(await store.load(id)).toEqual({
      tokens: winner,
      expiresAt: expiry,
      version: read + 1,
      keyId: 'k1',
    });
    const [row] = await db.dataSource.query('SELECT refreshed_at FROM credentials WHERE connection_id = $1', [
      id,
    ]);
    expect(row.refreshed_at).toBeInstanceOf(Date);
  });

  it('lets exactly one of two simultaneous refreshes on separate connections succeed', async () => {
    const id = await insertConnection(db.dataSource);
    await store.save(id, tokensFor('original'), null);
    const candidates = [tokensFor('left'), tokensFor('right')];
    const outcomes = await Promise.all(candidates.map((t) => store.replaceIfVersion(id, 1, t, null)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = candidates[outcomes.indexOf(true)];
    expect(await store.load(id)).toMatchObject({ tokens: winner, version: 2 });
  });

  it('reports false when refreshing a credential that no longer exists', async () => {
    const id = await insertConnection(db.dataSource);
    expect(await store.replaceIfVersion(id, 1, tokensFor('gone'), null)).toBe(false);
  });

  it('finds the connection holding a refresh token by its double SHA-512 or its prefix, and only while it holds it', async () => {
    const [id, other] = [await insertConnection(db.dataSource), await insertConnection(db.dataSource)];
    const first = tokensFor('lookup');
    await store.save(id, first, null);
    await store.save(other, tokensFor('other'), null);
    const holding = (refreshToken: string) =>
      Promise.all([
        store.connectionsHolding({ alg: 'sha512-sha512', value: refreshTokenDigest(refreshToken) }),
        store.connectionsHolding({ alg: 'prefix', value: refreshToken.slice(0, 16) }),
      ]);
    expect(await holding(first.refreshToken!)).toEqual([[id], [id]]);
    // Neither the token nor its prefix is stored, only the lookup values.
    const [row] = await db.dataSource.query(
      `SELECT refresh_token_digest AS digest, refresh_token_prefix_mac AS mac FROM credentials WHERE connection_id = $1`,
      [id],
    );
    expect(row.digest).toBe(refreshTokenDigest(first.refreshToken!));
    expect((row.mac as Buffer).toString('latin1')).not.toContain(first.refreshToken!.slice(0, 16));

    const rotated = { ...first, refreshToken: `1//rotated-${randomUUID()}` };
    expect(await store.replaceIfVersion(id, 1, rotated, null, true)).toBe(true);
    expect(await holding(first.refreshToken!)).toEqual([[], []]);
    expect(await holding(rotated.refreshToken)).toEqual([[id], [id]]);

    await store.save(id, { accessToken: 'ya29.no-refresh-token' }, null);
    expect(await holding(rotated.refreshToken)).toEqual([[], []]);
    await store.save(id, rotated, null);
    await store.delete(id);
    expect(await holding(rotated.refreshToken)).toEqual([[], []]);
  });

  it('deletes the row instead of blanking it', async () => {
    const id = await insertConnection(db.dataSource);
    await store.save(id, tokensFor('delete'), null);
    expect(await store.delete(id)).toBe(true);
    const rows = await db.dataSource.query('SELECT 1 FROM credentials WHERE connection_id = $1', [id]);
    expect(rows).toHaveLength(0);
    expect(await store.load(id)).toBeNull();
    expect(await store.delete(id)).toBe(false);
  });

  it('writes inside the caller transaction, so a rollback leaves nothing', async () => {
    const id = await insertConnection(db.dataSource);
    await expect(
      db.dataSource.transaction(async (manager) => {
        await store.withManager(manager).save(id, tokensFor('rolled-back'), null);
        expect(await store.withManager(manager).load(id)).not.toBeNull();
        throw new Error('abort transaction');
      }),
    ).rejects.toThrow('abort transaction');
    expect(await store.load(id)).toBeNull();
  });

  it('refuses a sealed blob copied onto another connection row', async () => {
    const [source, target] = [await insertConnection(db.dataSource), await insertConnection(db.dataSource)];
    await store.save(source, tokensFor('copied'), null);
    await store.save(target, tokensFor('target'), null);
    await db.dataSource.query(
      `UPDATE credentials SET sealed = (SELECT sealed FROM credentials WHERE connection_id = $1)
       WHERE connection_id = $2`,
      [source, target],
    );
    await expect(store.load(target)).rejects.toThrow(ConnectionMismatchError);
  });

  it('leaves no token findable in a pg_dump of the database', async () => {
    await run('which', ['pg_dump']);
    const id = await insertConnection(db.dataSource);
    const tokens = tokensFor('dump');
    await store.save(id, tokens, null);
    const { stdout: dump } = await run('pg_dump', ['--no-owner', '--dbname', db.url], {
      maxBuffer: 64 << 20,
    });

    // The dump must hold the sealed row itself (bytea is dumped as hex), or the search below proves nothing.
    const [row] = await db.dataSource.query('SELECT sealed FROM credentials WHERE connection_id = $1', [id]);
    expect(dump).toContain(id);
    expect(dump).toContain((row.sealed as Buffer).toString('hex'));

    for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken] as string[]) {
      const bytes = Buffer.from(secret, 'utf8');
      for (const encoded of [
        secret,
        bytes.toString('base64'),
        bytes.toString('base64url'),
        bytes.toString('hex'),
      ]) {
        expect(dump.includes(encoded)).toBe(false);
      }
    }
  });
});
