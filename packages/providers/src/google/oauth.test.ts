import { pkcePair, queryOf } from '../../test/pkce';
import { GOOGLE_ENDPOINTS } from './descriptor';
import { createGoogleOAuth } from './oauth';

const options = {
  clientId: 'cid',
  clientSecret: 'secret',
  redirectUri: 'https://crm.example/callback/google',
};

describe('Google authorization URL', () => {
  const { challenge } = pkcePair();

  it('carries every parameter Google needs for an offline, incremental, PKCE-bound consent', () => {
    const url = createGoogleOAuth(options).authorizationUrl({
      state: 'st-1',
      codeChallenge: challenge,
      resources: ['mail', 'contacts'],
      loginHint: 'a@example.com',
    });
    expect(url.startsWith(`${GOOGLE_ENDPOINTS.authorizationUrl}?`)).toBe(true);
    expect(queryOf(url)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: options.redirectUri,
      scope: [
        'openid',
        'https://www.googleapis.com/auth/userinfo.email',
        'https://www.googleapis.com/auth/gmail.readonly',
        'https://www.googleapis.com/auth/contacts.readonly',
      ].join(' '),
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: 'a@example.com',
    });
  });

  it('uses the configured authorization endpoint and leaves out an absent login hint', () => {
    const url = createGoogleOAuth({
      ...options,
      endpoints: { authorizationUrl: 'http://127.0.0.1:9/o/oauth2/v2/auth' },
    }).authorizationUrl({ state: 's', codeChallenge: challenge, resources: ['calendar'] });
    expect(url.startsWith('http://127.0.0.1:9/o/oauth2/v2/auth?')).toBe(true);
    expect(queryOf(url).login_hint).toBeUndefined();
  });
});

describe('Google scopes', () => {
  const oauth = createGoogleOAuth(options);

  it('always includes the identity scopes and de-duplicates', () => {
    expect(oauth.scopesFor([])).toEqual(['openid', 'https://www.googleapis.com/auth/userinfo.email']);
    expect(oauth.scopesFor(['calendar', 'calendar'])).toEqual([
      'openid',
      'https://www.googleapis.com/auth/userinfo.email',
      'https://www.googleapis.com/auth/calendar.readonly',
    ]);
  });

  it('refuses a resource Google does not offer', () => {
    expect(() => oauth.scopesFor(['deals'])).toThrow('google does not offer the resource deals');
  });
});
