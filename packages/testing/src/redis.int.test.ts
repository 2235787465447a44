import { createTestRedis, deleteUnder, type TestRedis } from './index';

describe('createTestRedis', () => {
  let a: TestRedis;
  let b: TestRedis;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestRedis(), createTestRedis()]);
  });
  afterAll(async () => {
    for (const r of [a, b]) if (r.redis.status === 'ready') await r.cleanup();
  });

  it('gives each caller its own prefix and a connected client', async () => {
    expect(a.prefix).toMatch(/^crm-sync-test:[0-9a-f]{12}:$/);
    expect(a.prefix).not.toBe(b.prefix);
    expect(await a.redis.ping()).toBe('PONG');
  });

  it('cleanup deletes every key under its prefix (more than one SCAN page) and nothing else', async () => {
    const keys = Array.from({ length: 1_234 }, (_, i) => `${a.prefix}k${i}`);
    await a.redis.mset(...keys.flatMap((key) => [key, 'v']));
    keys.push(`${a.prefix}bull::sync-google:1`);
    await a.redis.hset(keys[keys.length - 1]!, 'data', '{}');
    await b.redis.set(`${b.prefix}keep`, 'v');
    // Shares a's prefix as a string prefix but without the separator: must survive.
    const lookalike = a.prefix.slice(0, -1);
    await b.redis.set(lookalike, 'v');

    await a.cleanup();

    expect(a.redis.status).toBe('end');
    // Checked key by key: a SCAN of a shared Redis holding other suites' keys may need many calls.
    expect(await b.redis.exists(...keys)).toBe(0);
    expect(await b.redis.get(`${b.prefix}keep`)).toBe('v');
    expect(await b.redis.get(lookalike)).toBe('v');
    await b.redis.del(lookalike);
  });

  it('deleteUnder treats glob characters in a prefix literally', async () => {
    await b.redis.set(`${b.prefix}[x]*:1`, 'v');
    await b.redis.set(`${b.prefix}x:1`, 'v');
    expect(await deleteUnder(b.redis, `${b.prefix}[x]*`)).toBe(1);
    expect(await b.redis.get(`${b.prefix}x:1`)).toBe('v');
  });
});
