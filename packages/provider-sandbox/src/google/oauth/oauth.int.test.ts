import { request } from 'undici';
import { startSandbox } from '../../start';
import { type RunningSandbox } from '../../core/types';
import {
  CALENDAR_READONLY,
  connectGoogle,
  failure,
  GMAIL_READONLY,
  sandboxGoogleApis,
  sandboxOAuth2Client,
  TEST_REDIRECT_URI,
} from '../../../test';

let sandbox: RunningSandbox;
const EMAIL = 'ada@example.com';

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.control.createAccount({ provider: 'google', email: EMAIL, sizes: { messages: 3 } });
  sandbox.control.createAccount({ provider: 'google', email: 'grace@example.com' });
});
afterAll(() => sandbox.close());

test('consent with PKCE, then the tokens work for userinfo and tokeninfo', async () => {
  const { client, tokens } = await connectGoogle(sandbox, EMAIL);
  expect(tokens.refresh_token).toBeDefined();
  expect(tokens.scope).toContain('gmail.readonly');
  const { oauth2 } = sandboxGoogleApis(sandbox, client);
  const me = await oauth2.userinfo.get();
  expect(me.data.email).toBe(EMAIL);
  const info = await client.getTokenInfo(tokens.access_token as string);
  expect(info.email).toBe(EMAIL);
  expect(info.scopes).toContain('https://www.googleapis.com/auth/gmail.readonly');
});

async function codeFor(challenge?: string) {
  const params = new URLSearchParams({
    client_id: 'sandbox-client-id',
    redirect_uri: TEST_REDIRECT_URI,
    response_type: 'code',
    scope: 'email',
    login_hint: EMAIL,
    access_type: 'offline',
    state: 's1',
    ...(challenge ? { code_challenge: challenge, code_challenge_method: 'S256' } : {}),
  });
  const response = await request(`${sandbox.urls.google}/o/oauth2/v2/auth?${params}`);
  await response.body.dump();
  return new URL(String(response.headers.location)).searchParams;
}

test('PKCE mismatch and a replayed code are rejected with invalid_grant', async () => {
  const client = sandboxOAuth2Client(sandbox);
  const pkce = await client.generateCodeVerifierAsync();
  const code = (await codeFor(pkce.codeChallenge)).get('code') as string;
  const mismatch = await failure(client.getToken({ code, codeVerifier: `${pkce.codeVerifier}x` }));
  expect(mismatch.response?.data).toEqual({
    error: 'invalid_grant',
    error_description: 'Invalid code verifier.',
  });

  const fresh = (await codeFor(pkce.codeChallenge)).get('code') as string;
  await client.getToken({ code: fresh, codeVerifier: pkce.codeVerifier });
  const replay = await failure(client.getToken({ code: fresh, codeVerifier: pkce.codeVerifier }));
  expect(replay.status).toBe(400);
  expect((replay.response?.data as { error: string }).error).toBe('invalid_grant');
});

test('state is echoed and a denial is reported as access_denied', async () => {
  sandbox.control.setAuthorize('google', { denyNext: 1 });
  const denied = await codeFor();
  expect([denied.get('error'), denied.get('state'), denied.get('code')]).toEqual([
    'access_denied',
    's1',
    null,
  ]);
  expect((await codeFor()).get('code')).not.toBeNull();
});

test('scopes the user withholds at consent are missing from the grant', async () => {
  sandbox.control.setAuthorize('google', { withholdScopes: [CALENDAR_READONLY] });
  const { tokens } = await connectGoogle(sandbox, EMAIL);
  sandbox.control.setAuthorize('google', { withholdScopes: [] });
  const granted = (tokens.scope ?? '').split(' ');
  expect(granted).toContain(GMAIL_READONLY);
  expect(granted).not.toContain(CALENDAR_READONLY);
  const { calendar } = sandboxGoogleApis(sandbox, sandboxOAuth2Client(sandbox, tokens));
  const refused = await failure(calendar.events.list({ calendarId: 'primary' }));
  expect(refused.status).toBe(403);
});

test('an unregistered redirect URI gets an error page, not a redirect', async () => {
  const params = new URLSearchParams({
    client_id: 'sandbox-client-id',
    redirect_uri: 'https://evil.example/cb',
    response_type: 'code',
    scope: 'email',
  });
  const response = await request(`${sandbox.urls.google}/o/oauth2/v2/auth?${params}`);
  expect(response.statusCode).toBe(400);
  expect(await response.body.text()).toContain('redirect_uri_mismatch');
});

test('a web client takes only its registered URI; a desktop client any loopback port; the token call needs the same URI', async () => {
  const authorizeAs = async (clientId: string, redirectUri: string) => {
    const params = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'email',
      login_hint: EMAIL,
    });
    const response = await request(`${sandbox.urls.google}/o/oauth2/v2/auth?${params}`);
    const body = await response.body.text();
    const location = response.headers.location;
    return {
      status: response.statusCode,
      body,
      location: typeof location === 'string' ? new URL(location) : undefined,
    };
  };
  const secret = 'registered-secret';
  const registered = 'http://127.0.0.1:7000/oauth/google';
  sandbox.control.registerClient({
    clientId: 'web-app',
    clientSecret: secret,
    redirectUris: [registered],
    googleClientType: 'web',
    allowLoopbackRedirects: false,
  });
  sandbox.control.registerClient({
    clientId: 'desktop-app',
    clientSecret: secret,
    redirectUris: [],
    googleClientType: 'desktop',
    allowLoopbackRedirects: false,
  });
  expect((await authorizeAs('web-app', registered)).status).toBe(302);
  const otherPort = await authorizeAs('web-app', 'http://127.0.0.1:7001/oauth/google');
  expect([otherPort.status, otherPort.location]).toEqual([400, undefined]);
  expect(otherPort.body).toContain('Error 400: redirect_uri_mismatch');
  expect((await authorizeAs('desktop-app', 'http://[::1]:61023/cb')).status).toBe(302);
  const desktop = await authorizeAs('desktop-app', 'http://127.0.0.1:51004/cb');
  expect(desktop.status).toBe(302);
  expect((await authorizeAs('desktop-app', 'https://app.example.com/cb')).status).toBe(400);

  const token = await request(`${sandbox.urls.google}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'desktop-app',
      client_secret: secret,
      code: desktop.location?.searchParams.get('code') ?? '',
      redirect_uri: 'http://127.0.0.1:51005/cb',
    }).toString(),
  });
  expect(token.statusCode).toBe(400);
  expect(await token.body.json()).toMatchObject({ error: 'redirect_uri_mismatch' });
});

test('expired access token: 401, then the client refreshes and the call succeeds', async () => {
  const { client, tokens } = await connectGoogle(sandbox, 'grace@example.com');
  const graceId = (await sandboxGoogleApis(sandbox, client).oauth2.userinfo.get()).data.id as string;
  sandbox.control.expireTokens('google', graceId);
  sandbox.control.resetCounters();

  // With an expiry_date the client does not retry a 401
  // (docs/providers/clients.md#google-auth-library-refresh) ...
  const stale = sandboxGoogleApis(sandbox, sandboxOAuth2Client(sandbox, { ...tokens }));
  expect((await failure(stale.oauth2.userinfo.get())).status).toBe(401);
  // ... so a worker refreshes explicitly.
  const refreshing = sandboxOAuth2Client(sandbox, { refresh_token: tokens.refresh_token as string });
  const { credentials } = await refreshing.refreshAccessToken();
  expect(credentials.access_token).not.toBe(tokens.access_token);
  expect(credentials.refresh_token).toBe(tokens.refresh_token);
  expect((await sandboxGoogleApis(sandbox, refreshing).oauth2.userinfo.get()).data.email).toBe(
    'grace@example.com',
  );
  expect(sandbox.control.counters()).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ route: 'oauth.userinfo', status: 401, tokenState: 'expired', count: 1 }),
      expect.objectContaining({ route: 'oauth.userinfo', status: 200, tokenState: 'valid', count: 1 }),
    ]),
  );
});

test('revoking the refresh token ends the grant: its access token answers 401; revoking again is invalid_token', async () => {
  const { client, tokens } = await connectGoogle(sandbox, EMAIL);
  await client.revokeToken(tokens.refresh_token as string);
  const apis = sandboxGoogleApis(
    sandbox,
    sandboxOAuth2Client(sandbox, {
      access_token: tokens.access_token as string,
      expiry_date: Date.now() + 3_600_000,
    }),
  );
  expect((await failure(apis.gmail.users.getProfile({ userId: 'me' }))).status).toBe(401);
  const again = await failure(client.revokeToken(tokens.access_token as string));
  expect(again.response?.status).toBe(400);
  expect(again.response?.data).toEqual({
    error: 'invalid_token',
    error_description: 'Token expired or revoked',
  });
});

test('revocation: the API answers 401, refresh fails with invalid_grant, counters show the revoked call', async () => {
  const { client, tokens } = await connectGoogle(sandbox, EMAIL);
  await client.revokeToken(tokens.access_token as string);
  sandbox.control.resetCounters();
  const apis = sandboxGoogleApis(
    sandbox,
    sandboxOAuth2Client(sandbox, {
      access_token: tokens.access_token as string,
      expiry_date: Date.now() + 3_600_000,
    }),
  );
  const unauthorized = await failure(apis.gmail.users.getProfile({ userId: 'me' }));
  expect(unauthorized.status).toBe(401);
  expect(unauthorized.message).toBe('Invalid Credentials');
  const refresh = await failure(
    sandboxOAuth2Client(sandbox, { refresh_token: tokens.refresh_token as string }).refreshAccessToken(),
  );
  expect(refresh.response?.data).toEqual({
    error: 'invalid_grant',
    error_description: 'Token has been expired or revoked.',
  });
  expect(sandbox.control.counters()).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ route: 'gmail.users.getProfile', status: 401, tokenState: 'revoked' }),
    ]),
  );
});
