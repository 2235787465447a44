import { createHash } from 'node:crypto';
import { request } from 'undici';
import { DEFAULT_CLIENT, type RunningSandbox } from '../../core/types';
import {
  authorize,
  createPortal,
  install,
  REDIRECT_URI,
  refresh,
  rejection,
  sdk,
  startHubspotSandbox,
} from '../../../test/hubspot';

let sandbox: RunningSandbox;
// A clock that moves only when a test moves it makes `expires_in` exact.
let now = Date.parse('2026-05-04T10:00:00Z');
const clock = { now: () => now };

beforeAll(async () => {
  sandbox = await startHubspotSandbox({ clock });
  createPortal(sandbox, 'owner@steady.example', {});
  createPortal(sandbox, 'owner@rotating.example', {}, true);
});
afterAll(() => sandbox.close());

test('install: authorize redirects with code and state, the SDK exchanges it for tokens', async () => {
  const { status, location } = await authorize(sandbox, 'owner@steady.example');
  expect(status).toBe(302);
  expect(location?.searchParams.get('state')).toBe('hs-state');
  const tokens = await install(sandbox, 'owner@steady.example');
  expect(tokens).toMatchObject({
    tokenType: 'bearer',
    expiresIn: 1800,
    accessToken: expect.any(String),
    refreshToken: expect.any(String),
  });
});

test('token metadata reports the portal, user and granted scopes (optional ones included)', async () => {
  const tokens = await install(sandbox, 'owner@steady.example');
  const oauth = sdk(sandbox).oauth;
  const access = await oauth.accessTokensApi.get(tokens.accessToken);
  expect(access).toMatchObject({
    user: 'owner@steady.example',
    hubDomain: 'steady.example',
    tokenType: 'access',
    expiresIn: 1800,
  });
  expect(access.scopes).toEqual(
    expect.arrayContaining(['crm.objects.contacts.read', 'crm.objects.owners.read']),
  );
  const refreshInfo = await oauth.refreshTokensApi.get(tokens.refreshToken);
  expect(refreshInfo).toMatchObject({
    hubId: access.hubId,
    clientId: DEFAULT_CLIENT.clientId,
    tokenType: 'refresh',
  });
});

test('refresh: `same` returns the same refresh token, `rotate` a new one and the old one dies', async () => {
  const steady = await install(sandbox, 'owner@steady.example');
  const again = await refresh(sandbox, steady.refreshToken);
  expect(again.refreshToken).toBe(steady.refreshToken);
  expect(again.accessToken).not.toBe(steady.accessToken);

  const rotating = await install(sandbox, 'owner@rotating.example');
  const rotated = await refresh(sandbox, rotating.refreshToken);
  expect(rotated.refreshToken).not.toBe(rotating.refreshToken);
  const stale = await rejection(refresh(sandbox, rotating.refreshToken));
  expect(stale).toMatchObject({
    code: 400,
    body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' },
  });
  expect(await refresh(sandbox, rotated.refreshToken)).toMatchObject({ accessToken: expect.any(String) });
});

test('deleting the refresh token kills only it: refresh fails, issued access tokens run out their 30 minutes', async () => {
  const tokens = await install(sandbox, 'owner@steady.example');
  await sdk(sandbox).oauth.refreshTokensApi.archive(tokens.refreshToken);
  const meta = await sdk(sandbox).oauth.accessTokensApi.get(tokens.accessToken);
  expect(meta).toMatchObject({ tokenType: 'access', expiresIn: 1800 });
  const contacts = () => sdk(sandbox, tokens.accessToken, 0).crm.contacts.basicApi.getPage(1);
  await expect(contacts()).resolves.toMatchObject({ results: expect.any(Array) });
  now += 1800 * 1000;
  expect(await rejection(contacts())).toMatchObject({
    code: 401,
    body: { category: 'EXPIRED_AUTHENTICATION' },
  });
  expect(await rejection(sdk(sandbox).oauth.refreshTokensApi.archive(tokens.refreshToken))).toMatchObject({
    code: 404,
  });
  expect(await rejection(refresh(sandbox, tokens.refreshToken))).toMatchObject({
    code: 400,
    body: { status: 'BAD_REFRESH_TOKEN' },
  });
  expect(await rejection(sdk(sandbox).oauth.refreshTokensApi.get(tokens.refreshToken))).toMatchObject({
    code: 404,
  });
});

test('a reused or unknown code is BAD_AUTH_CODE; a wrong secret BAD_CLIENT_SECRET', async () => {
  const { location } = await authorize(sandbox, 'owner@steady.example');
  const code = location?.searchParams.get('code') ?? '';
  const exchange = (secret: string) =>
    sdk(sandbox).oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT_URI,
      DEFAULT_CLIENT.clientId,
      secret,
    );
  expect(await rejection(exchange('wrong'))).toMatchObject({
    code: 400,
    body: { status: 'BAD_CLIENT_SECRET' },
  });
  await exchange(DEFAULT_CLIENT.clientSecret);
  expect(await rejection(exchange(DEFAULT_CLIENT.clientSecret))).toMatchObject({
    code: 400,
    body: { status: 'BAD_AUTH_CODE' },
  });
});

test('a PKCE challenge sent to authorize is enforced at the token call', async () => {
  const verifier = 'v'.repeat(50);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const { location } = await authorize(sandbox, 'owner@steady.example', {
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const post = (codeVerifier: string) =>
    request(`${sandbox.urls.hubspot}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: DEFAULT_CLIENT.clientId,
        client_secret: DEFAULT_CLIENT.clientSecret,
        redirect_uri: REDIRECT_URI,
        code: location?.searchParams.get('code') ?? '',
        code_verifier: codeVerifier,
      }).toString(),
    });
  const wrong = await post('x'.repeat(50));
  expect(wrong.statusCode).toBe(400);
  expect(await wrong.body.json()).toMatchObject({ status: 'BAD_AUTH_CODE' });
});

test('a registered client takes only its exact redirect URL; the token call needs the same one', async () => {
  const app = { clientId: 'registered-app', clientSecret: 'registered-secret' };
  sandbox.control.registerClient({ ...app, redirectUris: [REDIRECT_URI], allowLoopbackRedirects: false });
  const allowed = await authorize(sandbox, 'owner@steady.example', { client_id: app.clientId });
  expect(allowed.status).toBe(302);
  const otherPort = REDIRECT_URI.replace(':5556/', ':5557/');
  const refused = await request(
    `${sandbox.urls.hubspot}/oauth/authorize?${new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: otherPort,
      scope: 'oauth',
    })}`,
  );
  expect([refused.statusCode, refused.headers.location]).toEqual([400, undefined]);
  expect(await refused.body.text()).toMatch(/redirect URL doesn't match/);
  const exchange = await request(`${sandbox.urls.hubspot}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      redirect_uri: otherPort,
      code: allowed.location?.searchParams.get('code') ?? '',
    }).toString(),
  });
  expect(exchange.statusCode).toBe(400);
  expect(await exchange.body.json()).toMatchObject({ status: 'BAD_REDIRECT_URI' });
});

test('a denied install comes back as access_denied with the state', async () => {
  sandbox.control.setAuthorize('hubspot', { denyNext: 1 });
  const { location } = await authorize(sandbox, 'owner@steady.example');
  expect(location?.searchParams.get('error')).toBe('access_denied');
  expect(location?.searchParams.get('state')).toBe('hs-state');
});
