import { startSandbox, DEFAULT_CLIENT, type Account, type RunningSandbox } from '@crm-sync/provider-sandbox';
import { type ProviderAdapter } from '@crm-sync/core';
import { pkcePair } from '../../test/pkce';
import { authorizeCode, classificationOf, endpointsOf, REDIRECT_URI } from '../../test/sandbox';
import { createGoogleAdapter } from './index';

let sandbox: RunningSandbox;
let account: Account;
let google: ProviderAdapter;
const EMAIL = 'ada@example.com';

function adapter(overrides: { clientSecret?: string } = {}): ProviderAdapter {
  return createGoogleAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: overrides.clientSecret ?? DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).google,
    // gaxios would load node-fetch by dynamic import, which Jest's CommonJS runtime refuses.
    fetch,
  });
}

beforeAll(async () => {
  sandbox = await startSandbox();
  account = sandbox.control.createAccount({ provider: 'google', email: EMAIL });
  google = adapter();
});
afterAll(() => sandbox.close());

async function connect() {
  const { verifier, challenge } = pkcePair();
  const url = google.oauth.authorizationUrl({
    state: 's',
    codeChallenge: challenge,
    resources: ['mail'],
    loginHint: EMAIL,
  });
  return { code: await authorizeCode(url), verifier };
}

test('code flow: exchange with the verifier, identity, refresh, revoke, then refresh is auth_revoked', async () => {
  const { code, verifier } = await connect();
  const before = Date.now();
  const grant = await google.oauth.exchangeCode({ code, codeVerifier: verifier });
  expect(grant.refreshToken).toEqual(expect.any(String));
  expect(grant.grantedScopes).toEqual(
    expect.arrayContaining(['https://www.googleapis.com/auth/gmail.readonly']),
  );
  expect(grant.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 3500_000);

  await expect(google.oauth.identity(grant.accessToken)).resolves.toEqual({
    providerAccountId: account.id,
    email: EMAIL,
  });

  const refreshed = await google.oauth.refresh(grant.refreshToken!);
  expect(refreshed.accessToken).not.toBe(grant.accessToken);
  // Google does not rotate: no refresh token comes back, and the stored one stays in use.
  expect(refreshed.refreshToken).toBeUndefined();
  await expect(google.oauth.identity(refreshed.accessToken)).resolves.toMatchObject({ email: EMAIL });

  await expect(google.oauth.revoke({ refreshToken: grant.refreshToken! })).resolves.toBe('revoked');
  await expect(classificationOf(google.oauth.refresh(grant.refreshToken!))).resolves.toEqual({
    kind: 'auth_revoked',
    reason: 'invalid_grant',
  });
  await expect(classificationOf(google.oauth.identity(refreshed.accessToken))).resolves.toEqual({
    kind: 'auth_expired',
  });
});

test('revoking a token Google does not know (400 invalid_token) reports already_invalid', async () => {
  await expect(google.oauth.revoke({ refreshToken: 'never-issued' })).resolves.toBe('already_invalid');
});

test('a wrong verifier is rejected as invalid_grant, and the code cannot be used afterwards', async () => {
  const { code, verifier } = await connect();
  await expect(
    classificationOf(google.oauth.exchangeCode({ code, codeVerifier: pkcePair().verifier })),
  ).resolves.toEqual({ kind: 'auth_revoked', reason: 'invalid_grant' });
  await expect(
    classificationOf(google.oauth.exchangeCode({ code, codeVerifier: verifier })),
  ).resolves.toMatchObject({
    kind: 'auth_revoked',
  });
});

test('a wrong client secret is a permanent failure, not a revoked grant', async () => {
  const { code, verifier } = await connect();
  await expect(
    classificationOf(adapter({ clientSecret: 'wrong' }).oauth.exchangeCode({ code, codeVerifier: verifier })),
  ).resolves.toEqual({ kind: 'permanent', reason: 'invalid_client' });
});

test('an unknown access token is auth_expired on identity', async () => {
  await expect(classificationOf(google.oauth.identity('not-a-token'))).resolves.toEqual({
    kind: 'auth_expired',
  });
});
