import {
  createTestDatabase,
  createTestRedis,
  insertTestConnection,
  type TestDatabase,
  type TestRedis,
} from '@crm-sync/testing';
import { CredentialStore, KeyRing } from '@crm-sync/vault';
import IORedis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ConnectionGenerations } from '../generations';
import { endConnection } from '../lifecycle/endConnection';
import { ConnectionCache } from './connectionCache';

let db: TestDatabase;
let redis: TestRedis;
let credentials: CredentialStore;
beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
  credentials = new CredentialStore({
    db: db.dataSource,
    keyRing: new KeyRing({ activeKeyId: 'k', keys: { k: randomBytes(32) } }),
  });
});
afterAll(() => Promise.all([db.drop(), redis.cleanup()]));

// Each process builds its own instance over the shared Redis prefix, as connect-api and the worker do.
const generations = () => new ConnectionGenerations({ redis: redis.redis, keyPrefix: redis.prefix });
const cache = (maxAgeMs = 60_000) =>
  new ConnectionCache({ db: db.dataSource, generations: generations(), maxAgeMs, maxEntries: 10 });
const statusOf = async (c: ConnectionCache, id: string) => (await c.read(id))?.status;
/** Changes the row behind every cache's back: only a generation tells a cache about it. */
const setStatusQuietly = (id: string, status: string) =>
  db.dataSource.query(`UPDATE connections SET status = $2 WHERE id = $1`, [id, status]);

describe('ConnectionCache', () => {
  it('answers from memory while the generation stands, and reads the row again once it moves', async () => {
    const id = await insertTestConnection(db.dataSource, 'acct-generation');
    const proxy = cache();
    expect(await statusOf(proxy, id)).toBe('active');
    await setStatusQuietly(id, 'revoked');
    expect(await statusOf(proxy, id)).toBe('active');
    await generations().bump(id);
    expect(await statusOf(proxy, id)).toBe('revoked');
  });

  it('sees an ending committed elsewhere on the very next read, with the cache warm', async () => {
    const id = await insertTestConnection(db.dataSource, 'acct-ended');
    const proxy = cache();
    expect(await statusOf(proxy, id)).toBe('active');
    const ended = await endConnection(
      { db: db.dataSource, credentials, generations: generations() },
      {
        connectionId: id,
        status: 'disconnected',
        reason: 'test',
        audit: { type: 'disconnected', actor: 'user:u1' },
      },
    );
    expect(ended).toBe(true);
    expect(await statusOf(proxy, id)).toBe('disconnected');
  });

  it('waits for a change in flight (generation moved, not yet committed) and caches what was committed', async () => {
    const id = await insertTestConnection(db.dataSource, 'acct-in-flight');
    const proxy = cache();
    expect(await statusOf(proxy, id)).toBe('active');
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`UPDATE connections SET status = 'revoked' WHERE id = $1`, [id]);
    await generations().bump(id);
    let seen: string | undefined = 'pending';
    const read = statusOf(proxy, id).then((status) => (seen = status));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toBe('pending');
    await runner.commitTransaction();
    await runner.release();
    await read;
    expect(seen).toBe('revoked');
    expect(await statusOf(proxy, id)).toBe('revoked');
  });

  it('takes a lost generation key (expiry, eviction, a flush) as a change', async () => {
    const id = await insertTestConnection(db.dataSource, 'acct-lost');
    const proxy = cache();
    expect(await statusOf(proxy, id)).toBe('active');
    await setStatusQuietly(id, 'needs_reauth');
    await redis.redis.del(`${redis.prefix}connection-generation:${id}`);
    expect(await statusOf(proxy, id)).toBe('needs_reauth');
  });

  it('reads the row again after its maximum age, whatever the generation says', async () => {
    const id = await insertTestConnection(db.dataSource, 'acct-aged');
    const proxy = cache(50);
    expect(await statusOf(proxy, id)).toBe('active');
    await setStatusQuietly(id, 'revoked');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await statusOf(proxy, id)).toBe('revoked');
  });

  it('drops what it read before its Redis connection came back (an ending that could not write its generation)', async () => {
    const id = await insertTestConnection(db.dataSource, 'acct-outage');
    const own = redis.redis.duplicate();
    await own.ping(); // connects, lazily as the original does
    try {
      const proxy = new ConnectionCache({
        db: db.dataSource,
        generations: new ConnectionGenerations({ redis: own, keyPrefix: redis.prefix }),
        maxAgeMs: 60_000,
        maxEntries: 10,
      });
      expect(await statusOf(proxy, id)).toBe('active');
      // Ended while Redis was away: the row changed, the generation did not.
      await setStatusQuietly(id, 'revoked');
      expect(await statusOf(proxy, id)).toBe('active');
      const back = new Promise((resolve) => own.once('ready', resolve));
      own.disconnect(true);
      await back;
      expect(await statusOf(proxy, id)).toBe('revoked');
    } finally {
      own.disconnect();
    }
  });

  it('ends a connection with Redis unreachable: the change commits, the bump says it did not happen', async () => {
    const id = await insertTestConnection(db.dataSource, 'acct-no-redis');
    const away = new IORedis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const unreachable = new ConnectionGenerations({ redis: away, keyPrefix: redis.prefix });
    expect(await unreachable.bump(id)).toBe(false);
    const ended = await endConnection(
      { db: db.dataSource, credentials, generations: unreachable },
      {
        connectionId: id,
        status: 'revoked',
        reason: 'test',
        audit: { type: 'token_revoked', actor: 'provider' },
      },
    );
    expect(ended).toBe(true);
    expect(await statusOf(cache(), id)).toBe('revoked');
    away.disconnect();
  });

  it('has nothing for an unknown connection', async () => {
    expect(await cache().read('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});
