import { pkcePair, queryOf } from '../../test/pkce';
import { MICROSOFT_ENDPOINTS } from './descriptor';
import { createMicrosoftOAuth } from './oauth';

const options = {
  clientId: 'cid',
  clientSecret: 'secret',
  redirectUri: 'https://crm.example/callback/microsoft',
};

describe('Microsoft authorization URL', () => {
  const { challenge } = pkcePair();

  it('carries every parameter the v2.0 endpoint needs for a refresh-token-bearing PKCE code flow', () => {
    const url = createMicrosoftOAuth(options).authorizationUrl({
      state: 'st-1',
      codeChallenge: challenge,
      resources: ['mail', 'calendar', 'contacts'],
      loginHint: 'a@example.com',
    });
    expect(url.startsWith(`${MICROSOFT_ENDPOINTS.authorizationUrl}?`)).toBe(true);
    expect(queryOf(url)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: options.redirectUri,
      scope: 'offline_access User.Read Mail.Read Calendars.Read Contacts.Read',
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      response_mode: 'query',
      login_hint: 'a@example.com',
    });
  });

  it('asks for the write permissions of the resources a connection writes, besides the read ones', () => {
    const url = createMicrosoftOAuth(options).authorizationUrl({
      state: 's',
      codeChallenge: challenge,
      resources: ['contacts'],
      writes: ['contacts', 'events'],
    });
    expect(queryOf(url).scope).toBe(
      'offline_access User.Read Contacts.Read Contacts.ReadWrite Calendars.ReadWrite',
    );
  });

  it('uses the configured tenant endpoint', () => {
    const url = createMicrosoftOAuth({
      ...options,
      endpoints: { authorizationUrl: 'https://127.0.0.1:9/organizations/oauth2/v2.0/authorize' },
    }).authorizationUrl({ state: 's', codeChallenge: challenge, resources: [] });
    expect(url.startsWith('https://127.0.0.1:9/organizations/oauth2/v2.0/authorize?')).toBe(true);
    expect(queryOf(url).scope).toBe('offline_access User.Read');
  });
});

describe('Microsoft scopes and revoke', () => {
  const oauth = createMicrosoftOAuth(options);

  it('refuses a resource Microsoft does not offer', () => {
    expect(() => oauth.scopesFor(['companies'])).toThrow('microsoft does not offer the resource companies');
  });

  it('reports that Microsoft has no token revocation', async () => {
    await expect(oauth.revoke({ refreshToken: 'rt' })).resolves.toBe('not_supported');
  });
});
