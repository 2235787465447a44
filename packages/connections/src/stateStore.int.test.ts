import { createTestRedis } from '@crm-sync/testing';
import { createHash } from 'node:crypto';
import { browserKeyMatches, OAuthStateStore } from './stateStore';

const request = {
  provider: 'google' as const,
  tenantId: 't1',
  crmUserId: 'u1',
  resources: ['mail' as const],
  scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
  redirectUrl: 'https://crm.example.com/settings/integrations',
};

/** The provider URL a flow stores, carrying its state and challenge the way an adapter would. */
const providerUrl = ({ state, codeChallenge }: { state: string; codeChallenge: string }) =>
  `https://provider.example.com/authorize?state=${state}&code_challenge=${codeChallenge}`;

describe('OAuthStateStore against real Redis', () => {
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  beforeAll(async () => {
    redis = await createTestRedis();
  });
  afterAll(() => redis.cleanup());

  const store = (ttlSeconds?: number) =>
    new OAuthStateStore(redis.redis, { keyPrefix: `${redis.prefix}oauth-state:`, ttlSeconds });

  async function opened(ttlSeconds?: number) {
    const { flowId } = await store(ttlSeconds).create(request, providerUrl);
    const flow = await store().openFlow(flowId);
    if (!flow) throw new Error('flow did not open');
    const url = new URL(flow.authorizationUrl);
    return {
      flowId,
      flow,
      state: url.searchParams.get('state')!,
      challenge: url.searchParams.get('code_challenge')!,
    };
  }

  it('redeems a state exactly once, with a verifier matching the S256 challenge', async () => {
    const { state, challenge, flowId } = await opened();
    expect(flowId).not.toBe(state);
    const pending = await store().consume(state);
    expect(pending).toMatchObject({ ...request, flowId });
    expect(createHash('sha256').update(pending!.codeVerifier).digest('base64url')).toBe(challenge);
    expect(await store().consume(state)).toBeNull();
  });

  it('opens a flow once, binding the state to the browser key by its hash only', async () => {
    const { flowId, flow, state } = await opened();
    expect(await store().openFlow(flowId)).toBeNull();
    const raw = await redis.redis.get(`${redis.prefix}oauth-state:${state}`);
    expect(raw).not.toContain(flow.browserKey);
    const pending = (await store().consume(state))!;
    expect(browserKeyMatches(pending, flow.browserKey)).toBe(true);
    expect(browserKeyMatches(pending, `${flow.browserKey}x`)).toBe(false);
    expect(browserKeyMatches(pending, undefined)).toBe(false);
    expect(browserKeyMatches({ ...pending, browserKeyHash: null }, flow.browserKey)).toBe(false);
  });

  it('does not open a flow whose state was already consumed', async () => {
    const { flowId } = await store().create(request, providerUrl);
    const [flowKey] = await redis.redis.keys(`${redis.prefix}oauth-state:flow:${flowId}`);
    const { state } = JSON.parse((await redis.redis.get(flowKey!))!) as { state: string };
    await store().consume(state);
    expect(await store().openFlow(flowId)).toBeNull();
  });

  it('forgets a state after its TTL', async () => {
    const { state, flow } = await opened(1);
    expect(flow.ttlSeconds).toBe(1);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await store().consume(state)).toBeNull();
  });

  it('finds nothing for unknown or malformed states and flows', async () => {
    expect(await store().consume('x'.repeat(43))).toBeNull();
    expect(await store().consume('../../etc')).toBeNull();
    expect(await store().consume('')).toBeNull();
    expect(await store().openFlow('x'.repeat(43))).toBeNull();
    expect(await store().openFlow('flow:*')).toBeNull();
  });
});
