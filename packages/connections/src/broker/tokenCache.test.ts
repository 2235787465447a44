import { TokenCache } from './tokenCache';

describe('the proxy token cache', () => {
  let now = 1_000_000;
  const cache = (maxEntries = 10) =>
    new TokenCache({ maxAgeMs: 60_000, refreshMarginMs: 5_000, maxEntries, now: () => now });
  const token = (accessToken: string, expiresInMs: number | null) => ({
    accessToken,
    expiresAt: expiresInMs === null ? null : new Date(now + expiresInMs),
  });
  beforeEach(() => {
    now = 1_000_000;
  });

  it('serves a token for its grant only, and at most its maximum age', () => {
    const c = cache();
    c.set('c1', 'grant-1', token('a', null));
    expect(c.get('c1', 'grant-1')?.accessToken).toBe('a');
    // A reconnect moved the grant: the old grant's token is not served, and is forgotten.
    expect(c.get('c1', 'grant-2')).toBeUndefined();
    expect(c.get('c1', 'grant-1')).toBeUndefined();
    c.set('c1', 'grant-1', token('a', null));
    now += 59_999;
    expect(c.get('c1', 'grant-1')?.accessToken).toBe('a');
    now += 1;
    expect(c.get('c1', 'grant-1')).toBeUndefined();
  });

  it('never serves a token within the refresh margin of its expiry, nor keeps one already there', () => {
    const c = cache();
    c.set('c1', 'g', token('a', 10_000));
    now += 4_999;
    expect(c.get('c1', 'g')?.accessToken).toBe('a');
    now += 1;
    expect(c.get('c1', 'g')).toBeUndefined();
    c.set('c1', 'g', token('b', 5_000));
    expect(c.get('c1', 'g')).toBeUndefined();
  });

  it('forgets a dropped token, and the oldest entry when full', () => {
    const c = cache(2);
    c.set('c1', 'g', token('a', null));
    c.set('c2', 'g', token('b', null));
    c.drop('c2');
    expect(c.get('c2', 'g')).toBeUndefined();
    c.set('c2', 'g', token('b', null));
    c.set('c3', 'g', token('c', null));
    expect([c.get('c1', 'g'), c.get('c2', 'g'), c.get('c3', 'g')].map((t) => t?.accessToken)).toEqual([
      undefined,
      'b',
      'c',
    ]);
  });
});
