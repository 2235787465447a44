import { createTestRedis } from '@crm-sync/testing';
import { createHash } from 'node:crypto';
import { OAuthStateStore } from './stateStore';

const request = {
  provider: 'google' as const,
  tenantId: 't1',
  crmUserId: 'u1',
  resources: ['mail' as const],
  scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
  redirectUrl: 'https://crm.example.com/settings/integrations',
};

describe('OAuthStateStore against real Redis', () => {
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  beforeAll(async () => {
    redis = await createTestRedis();
  });
  afterAll(() => redis.cleanup());

  const store = (ttlSeconds?: number) =>
    new OAuthStateStore(redis.redis, { keyPrefix: `${redis.prefix}oauth-state:`, ttlSeconds });

  it('redeems a state exactly once, with a verifier matching the S256 challenge', async () => {
    const { state, codeChallenge } = await store().create(request);
    const pending = await store().consume(state);
    expect(pending).toMatchObject(request);
    const challenge = createHash('sha256').update(pending!.codeVerifier).digest('base64url');
    expect(challenge).toBe(codeChallenge);
    expect(await store().consume(state)).toBeNull();
  });

  it('forgets a state after its TTL', async () => {
    const { state } = await store(1).create(request);
    expect(await redis.redis.ttl(`${redis.prefix}oauth-state:${state}`)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await store().consume(state)).toBeNull();
  });

  it('finds nothing for unknown or malformed states without touching Redis keys', async () => {
    expect(await store().consume('x'.repeat(43))).toBeNull();
    expect(await store().consume('../../etc')).toBeNull();
    expect(await store().consume('')).toBeNull();
  });
});
