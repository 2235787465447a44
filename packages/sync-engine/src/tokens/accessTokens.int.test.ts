import { ClassifiedProviderError, type Provider } from '@crm-sync/core';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { CredentialStore } from '@crm-sync/vault';
import { connectSandboxAccount, testAccessTokens } from '../../test';
import { AccessTokens, type TokenRefreshed } from './accessTokens';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const TOKEN_ROUTE: Record<Provider, string> = {
  google: 'oauth.token',
  microsoft: 'identity.token',
  hubspot: 'oauth.token',
};

// The token endpoint is unauthenticated, so the sandbox cannot attribute its calls to an account; tests run
// one after another and reset the counters after connecting, so every call counted is theirs.
function refreshes(provider: Provider): number {
  return h.sandbox.control
    .counters()
    .filter((c) => c.provider === provider && c.route === TOKEN_ROUTE[provider])
    .reduce((sum, c) => sum + c.count, 0);
}

async function connect(provider: Provider, email: string, refreshRotation: 'same' | 'rotate' = 'rotate') {
  const connection = await connectSandboxAccount(h, { provider, email, settings: { refreshRotation } });
  h.sandbox.control.resetCounters();
  return connection;
}

describe.each<Provider>(['microsoft', 'hubspot'])('AccessTokens on a rotating %s connection', (provider) => {
  it('serves 20 concurrent forced refreshes with exactly one exchange, and the rotated token is kept', async () => {
    const { connectionId, account } = await connect(provider, `rot-${provider}@example.com`);
    const adapter = h.deps.adapters.get(provider)!;
    const before = await h.deps.credentials.load(connectionId);
    const tokens = testAccessTokens(h);

    const got = await Promise.all(
      Array.from({ length: 20 }, () => tokens.get(connectionId, adapter.oauth, { force: true })),
    );
    expect(new Set(got).size).toBe(1);
    expect(got[0]).not.toBe(before!.tokens.accessToken);
    expect(refreshes(provider)).toBe(1);
    await expect(adapter.oauth.identity(got[0]!)).resolves.toMatchObject({ providerAccountId: account.id });

    const after = await h.deps.credentials.load(connectionId);
    expect(after!.tokens.refreshToken).not.toBe(before!.tokens.refreshToken);
    // The stored (rotated) refresh token is the live one: refreshing again works.
    await expect(tokens.get(connectionId, adapter.oauth, { force: true })).resolves.not.toBe(got[0]);
    expect(refreshes(provider)).toBe(2);
  });

  it('single-flights across processes through the Redis lock', async () => {
    const { connectionId } = await connect(provider, `rot2-${provider}@example.com`);
    const adapter = h.deps.adapters.get(provider)!;
    const refused = (await h.deps.credentials.load(connectionId))!.tokens.accessToken;
    // Two AccessTokens with their own store objects stand in for two worker processes.
    const other = new AccessTokens({
      credentials: new CredentialStore({ db: h.db.dataSource, keyRing: h.keyRing }),
      redis: h.redis.redis,
      keyPrefix: h.redis.prefix,
      refreshMarginMs: 60_000,
      lockTtlMs: 10_000,
      pollMs: 20,
    });
    const processes = [testAccessTokens(h), other];
    const got = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        processes[i % 2]!.get(connectionId, adapter.oauth, { force: true, refused }),
      ),
    );
    expect(new Set(got).size).toBe(1);
    expect(refreshes(provider)).toBe(1);
  });
});

describe('AccessTokens', () => {
  it('tells onRefreshed of each stored refresh once, with whether the refresh token rotated', async () => {
    const { connectionId } = await connect('hubspot', 'told@example.com');
    const told: TokenRefreshed[] = [];
    const tokens = new AccessTokens({
      credentials: h.deps.credentials,
      redis: h.redis.redis,
      keyPrefix: h.redis.prefix,
      refreshMarginMs: 60_000,
      lockTtlMs: 10_000,
      pollMs: 20,
      onRefreshed: async (refresh) => void told.push(refresh),
    });
    const oauth = h.deps.adapters.get('hubspot')!.oauth;
    await Promise.all([1, 2, 3].map(() => tokens.get(connectionId, oauth, { force: true })));
    expect(told).toEqual([
      { connectionId, rotated: true, expiresAt: expect.any(Date), scopes: expect.any(Array) },
    ]);
    expect(JSON.stringify(told)).not.toContain(
      (await h.deps.credentials.load(connectionId))!.tokens.accessToken,
    );
  });

  it("hands a caller whose read lands after another caller's refresh that refresh, not a second one", async () => {
    const { connectionId } = await connect('hubspot', 'overtaken@example.com');
    const oauth = h.deps.adapters.get('hubspot')!.oauth;
    // The second read of the store is held until the first caller's refresh is done, as a slow database
    // round trip under load would; the read then returns the already refreshed token.
    let reads = 0;
    let releaseSlowRead!: () => void;
    const slowReadMayGo = new Promise<void>((resolve) => (releaseSlowRead = resolve));
    class SlowSecondRead extends CredentialStore {
      override async load(id: string) {
        reads += 1;
        if (reads === 2) await slowReadMayGo;
        return super.load(id);
      }
    }
    const tokens = new AccessTokens({
      credentials: new SlowSecondRead({ db: h.db.dataSource, keyRing: h.keyRing }),
      redis: h.redis.redis,
      keyPrefix: h.redis.prefix,
      refreshMarginMs: 60_000,
      lockTtlMs: 10_000,
      pollMs: 20,
    });
    const first = tokens.get(connectionId, oauth, { force: true });
    const second = tokens.get(connectionId, oauth, { force: true });
    const refreshed = await first;
    releaseSlowRead();
    expect(await second).toBe(refreshed);
    expect(refreshes('hubspot')).toBe(1);
  });

  it('returns the stored token without a call while it is fresh, refreshes inside the margin', async () => {
    const { connectionId } = await connect('google', 'fresh@example.com', 'same');
    const oauth = h.deps.adapters.get('google')!.oauth;
    const stored = (await h.deps.credentials.load(connectionId))!;
    expect(await testAccessTokens(h, 60_000).get(connectionId, oauth)).toBe(stored.tokens.accessToken);
    expect(refreshes('google')).toBe(0);

    // A margin longer than the token's lifetime makes the stored token "about to expire".
    const fresh = await testAccessTokens(h, 24 * 3600_000).get(connectionId, oauth);
    expect(fresh).not.toBe(stored.tokens.accessToken);
    expect(refreshes('google')).toBe(1);
    // Google sends no refresh token on refresh: the stored one is kept.
    expect((await h.deps.credentials.load(connectionId))!.tokens.refreshToken).toBe(
      stored.tokens.refreshToken,
    );
  });

  it('reports a revoked grant as auth_revoked and holds no lock afterwards', async () => {
    const { connectionId, account } = await connect('hubspot', 'revoked-tokens@example.com');
    const oauth = h.deps.adapters.get('hubspot')!.oauth;
    h.sandbox.control.revokeTokens('hubspot', account.id);
    const failure = await testAccessTokens(h)
      .get(connectionId, oauth, { force: true })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ClassifiedProviderError);
    expect((failure as ClassifiedProviderError).classification.kind).toBe('auth_revoked');
    expect(await h.redis.redis.exists(`${h.redis.prefix}token-refresh:${connectionId}`)).toBe(0);
    expect(refreshes('hubspot')).toBe(1);
  });

  it('treats a connection without credentials as revoked', async () => {
    const { connectionId } = await connect('google', 'nocreds@example.com');
    await h.deps.credentials.delete(connectionId);
    await expect(
      testAccessTokens(h).get(connectionId, h.deps.adapters.get('google')!.oauth),
    ).rejects.toMatchObject({ classification: { kind: 'auth_revoked', reason: 'no stored credentials' } });
  });
});
