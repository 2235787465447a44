import { startSandbox, DEFAULT_CLIENT, type Account, type RunningSandbox } from '@crm-sync/provider-sandbox';
import { type ProviderAdapter } from '@crm-sync/core';
import { pkcePair } from '../../test/pkce';
import {
  authorizeCode,
  classificationOf,
  endpointsOf,
  REDIRECT_URI,
  trustingFetch,
} from '../../test/sandbox';
import { createMicrosoftAdapter } from './index';

let sandbox: RunningSandbox;
let trusted: typeof fetch;
let rotating: Account;
let microsoft: ProviderAdapter;
const EMAIL = 'grace@example.com';

function adapter(overrides: { clientSecret?: string } = {}): ProviderAdapter {
  return createMicrosoftAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: overrides.clientSecret ?? DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).microsoft,
    fetch: trusted,
  });
}

beforeAll(async () => {
  sandbox = await startSandbox();
  trusted = trustingFetch(sandbox.caPem);
  rotating = sandbox.control.createAccount({
    provider: 'microsoft',
    email: EMAIL,
    settings: { refreshRotation: 'rotate' },
  });
  microsoft = adapter();
});
afterAll(async () => {
  await sandbox.close();
});

async function connect(email = EMAIL) {
  const { verifier, challenge } = pkcePair();
  const url = microsoft.oauth.authorizationUrl({
    state: 's',
    codeChallenge: challenge,
    resources: ['mail', 'contacts'],
    loginHint: email,
  });
  return { code: await authorizeCode(url, trusted), verifier };
}

test('code flow over https: exchange with the verifier, identity from Graph /me, rotating refresh', async () => {
  const { code, verifier } = await connect();
  const grant = await microsoft.oauth.exchangeCode({ code, codeVerifier: verifier });
  expect(grant.refreshToken).toEqual(expect.any(String));
  expect(grant.grantedScopes).toEqual(expect.arrayContaining(['offline_access', 'User.Read', 'Mail.Read']));
  expect(grant.expiresAt).toBeInstanceOf(Date);

  await expect(microsoft.oauth.identity(grant.accessToken)).resolves.toEqual({
    providerAccountId: rotating.id,
    email: EMAIL,
  });

  // Rotation: each refresh hands back a new refresh token, and the used one is dead.
  const first = await microsoft.oauth.refresh(grant.refreshToken!);
  expect(first.refreshToken).toEqual(expect.any(String));
  expect(first.refreshToken).not.toBe(grant.refreshToken);
  const second = await microsoft.oauth.refresh(first.refreshToken!);
  expect(second.refreshToken).not.toBe(first.refreshToken);
  await expect(classificationOf(microsoft.oauth.refresh(grant.refreshToken!))).resolves.toMatchObject({
    kind: 'auth_revoked',
  });
  await expect(microsoft.oauth.identity(second.accessToken)).resolves.toMatchObject({ email: EMAIL });
});

test('after the grant is revoked at Microsoft (no API for us to do it), refresh is auth_revoked', async () => {
  const { code, verifier } = await connect();
  const grant = await microsoft.oauth.exchangeCode({ code, codeVerifier: verifier });
  await expect(microsoft.oauth.revoke({ refreshToken: grant.refreshToken! })).resolves.toBe('not_supported');
  sandbox.control.revokeTokens('microsoft', rotating.id);
  const failure = await classificationOf(microsoft.oauth.refresh(grant.refreshToken!));
  expect(failure).toMatchObject({ kind: 'auth_revoked' });
  expect(failure.kind === 'auth_revoked' && failure.reason).toMatch(/^invalid_grant AADSTS\d+$/);
  await expect(classificationOf(microsoft.oauth.identity(grant.accessToken))).resolves.toEqual({
    kind: 'auth_expired',
  });
});

test('a wrong verifier is rejected as invalid_grant', async () => {
  const { code } = await connect();
  const failure = await classificationOf(
    microsoft.oauth.exchangeCode({ code, codeVerifier: pkcePair().verifier }),
  );
  expect(failure).toMatchObject({ kind: 'auth_revoked' });
  expect(failure.kind === 'auth_revoked' && failure.reason).toMatch(/^invalid_grant AADSTS\d+$/);
});

test('a wrong client secret is a permanent failure', async () => {
  const { code, verifier } = await connect();
  await expect(
    classificationOf(adapter({ clientSecret: 'wrong' }).oauth.exchangeCode({ code, codeVerifier: verifier })),
  ).resolves.toEqual({ kind: 'permanent', reason: 'invalid_client AADSTS7000215' });
});
