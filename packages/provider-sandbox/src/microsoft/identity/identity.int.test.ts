import { request } from 'undici';
import { type Account, type Clock } from '../../core/types';
import {
  authorize,
  type MicrosoftSandbox,
  postToken,
  REDIRECT_URI,
  signIn,
  startMicrosoftSandbox,
} from '../../../test/microsoft';

let ms: MicrosoftSandbox;
let rotating: Account;
let steady: Account;
let now = Date.parse('2026-03-01T09:00:00Z');
const clock: Clock = { now: () => now };

beforeAll(async () => {
  ms = await startMicrosoftSandbox({ clock });
  rotating = ms.sandbox.control.createAccount({
    provider: 'microsoft',
    email: 'grace@contoso.com',
    settings: { refreshRotation: 'rotate' },
  });
  steady = ms.sandbox.control.createAccount({ provider: 'microsoft', email: 'alan@contoso.com' });
});
afterAll(() => ms.close());

const refresh = (token: string) =>
  postToken(ms, { grant_type: 'refresh_token', refresh_token: token, scope: 'Mail.Read' });

function expectAadError(body: Record<string, unknown>, code: number, error = 'invalid_grant') {
  expect(body).toMatchObject({
    error,
    error_codes: [code],
    trace_id: expect.any(String),
    correlation_id: expect.any(String),
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
  });
  expect(body.error_description).toMatch(
    new RegExp(`^AADSTS${code}: .*\\r\\nTrace ID: .*\\r\\nCorrelation ID: `, 's'),
  );
}

test('authorize redirects with code and state; the token response carries a refresh token', async () => {
  const { status, location } = await authorize(ms, rotating.email);
  expect(status).toBe(302);
  expect(`${location?.origin}${location?.pathname}`).toBe(REDIRECT_URI);
  expect(location?.searchParams.get('state')).toBe('st-1');
  const tokens = await signIn(ms, rotating.email);
  expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3599, refresh_token: expect.any(String) });
});

test('refresh rotates the refresh token on every use; a rotated-out token is refused', async () => {
  const first = await signIn(ms, rotating.email);
  const second = await refresh(first.refresh_token!);
  expect(second.status).toBe(200);
  expect(second.body.refresh_token).toEqual(expect.any(String));
  expect(second.body.refresh_token).not.toBe(first.refresh_token);
  const third = await refresh(second.body.refresh_token as string);
  expect(third.status).toBe(200);
  const replay = await refresh(first.refresh_token!);
  expect(replay.status).toBe(400);
  expectAadError(replay.body, 50173);
});

test('by default each refresh returns a new refresh token and the used one keeps working, as Entra does', async () => {
  const tokens = await signIn(ms, steady.email);
  const again = await refresh(tokens.refresh_token!);
  expect(again.body.refresh_token).toEqual(expect.any(String));
  expect(again.body.refresh_token).not.toBe(tokens.refresh_token);
  expect(again.body.access_token).not.toBe(tokens.access_token);
  const third = await refresh(again.body.refresh_token as string);
  expect(third.body.refresh_token).not.toBe(again.body.refresh_token);
  // The old tokens are not revoked by rotation (docs/providers/microsoft.md#tokens-and-rotation) ...
  expect((await refresh(tokens.refresh_token!)).status).toBe(200);
  expect((await refresh(again.body.refresh_token as string)).status).toBe(200);
  // ... but revoking the grant ends every one of them.
  ms.sandbox.control.revokeTokens('microsoft', steady.id);
  expectAadError((await refresh(third.body.refresh_token as string)).body, 50173);
});

test('revoked sessions answer AADSTS50173; idle refresh tokens AADSTS700082', async () => {
  const revoked = await signIn(ms, steady.email);
  ms.sandbox.control.revokeTokens('microsoft', steady.id);
  expectAadError((await refresh(revoked.refresh_token!)).body, 50173);

  const idle = await signIn(ms, steady.email);
  now += 91 * 86_400_000;
  const answer = await refresh(idle.refresh_token!);
  expect(answer.status).toBe(400);
  expectAadError(answer.body, 700082);
});

test('code replay, PKCE mismatch and garbage grants map to their AADSTS codes', async () => {
  const { location, verifier } = await authorize(ms, steady.email);
  const code = location?.searchParams.get('code') ?? '';
  const exchange = (v: string) =>
    postToken(ms, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: v });
  expectAadError((await exchange('wrong-verifier-wrong-verifier-wrong-verifier')).body, 501481);
  expectAadError((await exchange(verifier)).body, 54005);
  expectAadError((await refresh('not-a-token')).body, 70000);
  const badSecret = await postToken(ms, {
    grant_type: 'refresh_token',
    refresh_token: 'x',
    client_secret: 'nope',
  });
  expect(badSecret.status).toBe(401);
  expectAadError(badSecret.body, 7000215, 'invalid_client');
});

test('a denied consent comes back on the redirect as access_denied with the state', async () => {
  ms.sandbox.control.setAuthorize('microsoft', { denyNext: 1 });
  const denied = await authorize(ms, steady.email);
  expect(denied.location?.searchParams.get('error')).toBe('access_denied');
  expect(denied.location?.searchParams.get('state')).toBe('st-1');
  expect(denied.location?.searchParams.get('code')).toBeNull();
  const next = await authorize(ms, steady.email);
  expect(next.location?.searchParams.get('code')).toEqual(expect.any(String));
});

test('an unregistered redirect URI is refused on the page, never redirected to', async () => {
  const { status, location } = await authorize(ms, steady.email, { redirect_uri: 'https://evil.example/cb' });
  expect(status).toBe(400);
  expect(location).toBeUndefined();
});

test('a registered loopback redirect URI matches on any port, other paths are AADSTS50011, the token call needs the same URI', async () => {
  const app = { clientId: 'registered-app', clientSecret: 'registered-secret' };
  ms.sandbox.control.registerClient({
    ...app,
    redirectUris: ['http://127.0.0.1/callback'],
    allowLoopbackRedirects: false,
  });
  const allowed = await authorize(ms, steady.email, { client_id: app.clientId });
  expect(allowed.status).toBe(302);
  expect(`${allowed.location?.origin}${allowed.location?.pathname}`).toBe(REDIRECT_URI);
  const other = await request(
    `${ms.sandbox.urls.microsoft}/common/oauth2/v2.0/authorize?${new URLSearchParams({
      client_id: app.clientId,
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:5555/elsewhere',
      scope: 'Mail.Read',
    })}`,
    { dispatcher: ms.dispatcher },
  );
  expect([other.statusCode, other.headers.location]).toEqual([400, undefined]);
  expect(await other.body.text()).toMatch(/^AADSTS50011: /);
  const exchange = (redirectUri: string) =>
    postToken(ms, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code: allowed.location?.searchParams.get('code') ?? '',
      redirect_uri: redirectUri,
      code_verifier: allowed.verifier,
    });
  const moved = await exchange('http://127.0.0.1:6000/callback');
  expect(moved.status).toBe(400);
  expectAadError(moved.body, 50011);
});
