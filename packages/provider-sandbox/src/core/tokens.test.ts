import { createHash } from 'node:crypto';
import { createAccountStore } from './accounts';
import { createTokenStore } from './tokens';
import { type RefreshRotation } from './types';

let now = 1_000_000;
const clock = { now: () => now };

function setup(refreshRotation: RefreshRotation = 'same') {
  const accounts = createAccountStore(clock);
  const account = accounts.create({
    provider: 'microsoft',
    email: 't@example.com',
    settings: { accessTokenTtlSeconds: 60, refreshRotation },
  });
  const tokens = createTokenStore(clock, accounts);
  const verifier = 'v'.repeat(43);
  const code = tokens.issueCode({
    provider: 'microsoft',
    accountId: account.id,
    clientId: 'c',
    redirectUri: 'http://127.0.0.1/cb',
    scopes: ['Mail.Read'],
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    codeChallengeMethod: 'S256',
    offline: true,
  });
  const exchange = (codeVerifier = verifier) =>
    tokens.exchangeCode({
      provider: 'microsoft',
      code,
      clientId: 'c',
      redirectUri: 'http://127.0.0.1/cb',
      codeVerifier,
    });
  return { account, tokens, exchange };
}

const grantOf = (result: ReturnType<ReturnType<typeof setup>['exchange']>) => {
  if (!result.ok) throw new Error(`unexpected ${result.reason}`);
  return result.grant;
};

test('access tokens expire by the clock; refresh keeps the same refresh token by default', () => {
  const { tokens, exchange } = setup();
  const grant = grantOf(exchange());
  expect(tokens.authenticate('microsoft', `Bearer ${grant.accessToken}`).ok).toBe(true);
  expect(tokens.authenticate('google', `Bearer ${grant.accessToken}`)).toEqual({
    ok: false,
    reason: 'invalid',
  });
  now += 60_000;
  expect(tokens.authenticate('microsoft', `Bearer ${grant.accessToken}`)).toMatchObject({
    ok: false,
    reason: 'expired',
  });
  const refreshed = grantOf(tokens.refresh('microsoft', grant.refreshToken as string, 'c'));
  expect(refreshed.refreshToken).toBeUndefined();
  expect(tokens.refresh('microsoft', grant.refreshToken as string, 'c').ok).toBe(true);
  expect(tokens.refresh('microsoft', grant.refreshToken as string, 'other')).toEqual({
    ok: false,
    reason: 'client_mismatch',
  });
});

test('rotation returns a new refresh token and retires the used one', () => {
  const { tokens, exchange } = setup('rotate');
  const first = grantOf(exchange()).refreshToken as string;
  const second = grantOf(tokens.refresh('microsoft', first, 'c')).refreshToken as string;
  expect(second).not.toBe(first);
  expect(tokens.refresh('microsoft', first, 'c')).toEqual({ ok: false, reason: 'token_revoked' });
  expect(tokens.refresh('microsoft', second, 'c').ok).toBe(true);
});

test('liveRefreshToken names the newest refresh token that still works', () => {
  const { tokens, exchange, account } = setup('rotate');
  expect(tokens.liveRefreshToken('microsoft', account.id)).toBeUndefined();
  const first = grantOf(exchange()).refreshToken as string;
  expect(tokens.liveRefreshToken('microsoft', account.id)).toBe(first);
  expect(tokens.liveRefreshToken('google', account.id)).toBeUndefined();
  const second = grantOf(tokens.refresh('microsoft', first, 'c')).refreshToken as string;
  expect(tokens.liveRefreshToken('microsoft', account.id)).toBe(second);
  tokens.revoke('microsoft', second);
  expect(tokens.liveRefreshToken('microsoft', account.id)).toBeUndefined();
});

test('PKCE mismatch burns the code; a replayed code revokes what it issued', () => {
  expect(setup().exchange('w'.repeat(43))).toEqual({ ok: false, reason: 'pkce_mismatch' });
  const { tokens, exchange } = setup();
  const grant = grantOf(exchange());
  expect(exchange()).toEqual({ ok: false, reason: 'code_reused' });
  expect(tokens.authenticate('microsoft', `Bearer ${grant.accessToken}`)).toEqual({
    ok: false,
    reason: 'revoked',
    accountId: expect.any(String),
  });
});

test('codes expire after ten minutes; revokeAccount and expireAccessTokens act on every token', () => {
  const stale = setup();
  now += 10 * 60_000 + 1;
  expect(stale.exchange()).toEqual({ ok: false, reason: 'code_expired' });
  const { tokens, exchange, account } = setup();
  const grant = grantOf(exchange());
  expect(tokens.expireAccessTokens('microsoft', account.id)).toBe(1);
  expect(tokens.inspect('microsoft', grant.accessToken)?.state).toBe('expired');
  expect(tokens.revokeAccount('microsoft', account.id)).toBe(1);
  expect(tokens.refresh('microsoft', grant.refreshToken as string, 'c')).toEqual({
    ok: false,
    reason: 'token_revoked',
  });
  expect(tokens.authenticate('microsoft', undefined)).toEqual({ ok: false, reason: 'missing' });
});
