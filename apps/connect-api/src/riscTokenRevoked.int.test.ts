import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { refreshTokenDigest } from '@crm-sync/vault';
import { startApp, type AppHarness } from '../test/appHarness';

// Google RISC `token-revoked` at connect-api: the sandbox names the account's refresh token by its 16-character
// prefix or its double SHA-512, as Google does; the vault's lookup values find the connection, which ends at once.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp();
});
afterAll(() => h.close());

const url = () => `${h.baseUrl}/v1/webhooks/google/risc`;

async function connected(email: string) {
  const { connectionId, account } = await connectSandboxAccount(h, { provider: 'google', email });
  const refreshToken = (await h.deps.credentials.load(connectionId))?.tokens.refreshToken as string;
  return { connectionId, accountId: account.id, refreshToken };
}

const state = async (connectionId: string) =>
  (
    (await h.db.dataSource.query(
      `SELECT c.status, (SELECT count(*)::int FROM credentials WHERE connection_id = c.id) AS credentials
         FROM connections c WHERE c.id = $1`,
      [connectionId],
    )) as Array<{ status: string; credentials: number }>
  )[0];

const emit = (accountId: string, body: object) =>
  h.sandbox.control.providerOp('google', accountId, 'risc', {
    url: url(),
    event: 'token-revoked',
    ...body,
  }) as Promise<{
    status: number;
    token: string;
  }>;

it.each(['prefix', 'hash_base64_sha512_sha512'])(
  'a token-revoked naming the refresh token by %s revokes its connection, and only it',
  async (tokenIdentifier) => {
    const target = await connected(`risc-token-${tokenIdentifier}@example.com`);
    const bystander = await connected(`risc-token-bystander-${tokenIdentifier}@example.com`);
    expect((await emit(target.accountId, { tokenIdentifier })).status).toBe(202);
    expect(await state(target.connectionId)).toEqual({ status: 'revoked', credentials: 0 });
    expect(await state(bystander.connectionId)).toEqual({ status: 'active', credentials: 1 });
    // Neither the prefix nor the digest reaches the logs.
    expect(h.logs()).not.toContain(target.refreshToken.slice(0, 16));
    expect(h.logs()).not.toContain(refreshTokenDigest(target.refreshToken));
  },
);

it('logs and counts a token-revoked that matches no connection, and changes nothing', async () => {
  const kept = await connected('risc-token-unmatched@example.com');
  // The sandbox's grant outlives ours: forget our copy (a reconnect elsewhere, a rotation), keep the connection.
  await h.db.dataSource.query(
    `UPDATE credentials SET refresh_token_digest = NULL, refresh_token_prefix_mac = NULL WHERE connection_id = $1`,
    [kept.connectionId],
  );
  expect((await emit(kept.accountId, { tokenIdentifier: 'hash_base64_sha512_sha512' })).status).toBe(202);
  expect(await state(kept.connectionId)).toEqual({ status: 'active', credentials: 1 });
  expect(h.logs()).toContain('provider notice matched no connection');
  expect(await h.metrics()).toMatch(
    /crm_sync_provider_notices_unmatched_total\{provider="google",kind="token-revoked"\} 1/,
  );
  expect(h.logs()).not.toContain(refreshTokenDigest(kept.refreshToken));
});
