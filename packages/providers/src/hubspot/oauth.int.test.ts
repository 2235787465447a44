import { startSandbox, DEFAULT_CLIENT, type Account, type RunningSandbox } from '@crm-sync/provider-sandbox';
import { type ProviderAdapter } from '@crm-sync/core';
import { pkcePair } from '../../test/pkce';
import { authorizeCode, classificationOf, endpointsOf, REDIRECT_URI } from '../../test/sandbox';
import { createHubSpotAdapter } from './index';

let sandbox: RunningSandbox;
let account: Account;
let hubspot: ProviderAdapter;
const EMAIL = 'katherine@example.com';

function adapter(overrides: { clientSecret?: string } = {}): ProviderAdapter {
  return createHubSpotAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: overrides.clientSecret ?? DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).hubspot,
  });
}

beforeAll(async () => {
  sandbox = await startSandbox();
  account = sandbox.control.createAccount({ provider: 'hubspot', email: EMAIL });
  sandbox.control.setAuthorize('hubspot', { defaultLoginEmail: EMAIL });
  hubspot = adapter();
});
afterAll(() => sandbox.close());

async function connect() {
  const { verifier, challenge } = pkcePair();
  const url = hubspot.oauth.authorizationUrl({
    state: 's',
    codeChallenge: challenge,
    resources: ['contacts', 'deals'],
  });
  return { code: await authorizeCode(url), verifier };
}

test('code flow: exchange with the verifier, identity from token info, refresh, revoke, then refresh is auth_revoked', async () => {
  const { code, verifier } = await connect();
  const grant = await hubspot.oauth.exchangeCode({ code, codeVerifier: verifier });
  expect(grant.refreshToken).toEqual(expect.any(String));
  expect(grant.grantedScopes).toEqual(
    expect.arrayContaining(['oauth', 'crm.objects.contacts.read', 'crm.objects.deals.read']),
  );
  expect(grant.expiresAt).toBeInstanceOf(Date);

  await expect(hubspot.oauth.identity(grant.accessToken)).resolves.toEqual({
    providerAccountId: account.id,
    email: EMAIL,
  });

  const refreshed = await hubspot.oauth.refresh(grant.refreshToken!);
  expect(refreshed.accessToken).not.toBe(grant.accessToken);
  // Whatever HubSpot sends back is surfaced, so a rotated one would be stored.
  expect(refreshed.refreshToken).toEqual(expect.any(String));
  const current = refreshed.refreshToken!;

  await expect(hubspot.oauth.revoke({ refreshToken: current })).resolves.toBe('revoked');
  await expect(classificationOf(hubspot.oauth.refresh(current))).resolves.toEqual({
    kind: 'auth_revoked',
    reason: 'BAD_REFRESH_TOKEN',
  });
});

test('a wrong verifier is rejected', async () => {
  const { code } = await connect();
  await expect(
    classificationOf(hubspot.oauth.exchangeCode({ code, codeVerifier: pkcePair().verifier })),
  ).resolves.toEqual({ kind: 'auth_revoked', reason: 'BAD_AUTH_CODE' });
});

test('a wrong client secret is a permanent failure', async () => {
  const { code, verifier } = await connect();
  await expect(
    classificationOf(adapter({ clientSecret: 'wrong' }).oauth.exchangeCode({ code, codeVerifier: verifier })),
  ).resolves.toEqual({ kind: 'permanent', reason: 'http 400 BAD_CLIENT_SECRET' });
});

test('an unknown access token is a 404 on token info (permanent), not a revoked grant', async () => {
  await expect(classificationOf(hubspot.oauth.identity('not-a-token'))).resolves.toEqual({
    kind: 'permanent',
    reason: 'http 404 OBJECT_NOT_FOUND',
  });
});

test('revoking a refresh token HubSpot does not know reports already_invalid', async () => {
  await expect(hubspot.oauth.revoke({ refreshToken: 'never-issued' })).resolves.toBe('already_invalid');
});
