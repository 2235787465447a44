import { pkcePair, queryOf } from '../../test/pkce';
import { HUBSPOT_ENDPOINTS } from './descriptor';
import { createHubSpotOAuth } from './oauth';

const options = {
  clientId: 'cid',
  clientSecret: 'secret',
  redirectUri: 'https://crm.example/callback/hubspot',
};

describe('HubSpot authorization URL', () => {
  const { challenge } = pkcePair();

  it('carries client, redirect, space-separated scopes, state and the S256 challenge', () => {
    const url = createHubSpotOAuth(options).authorizationUrl({
      state: 'st-1',
      codeChallenge: challenge,
      resources: ['contacts', 'deals'],
    });
    expect(url.startsWith(`${HUBSPOT_ENDPOINTS.authorizationUrl}?`)).toBe(true);
    expect(queryOf(url)).toEqual({
      client_id: 'cid',
      redirect_uri: options.redirectUri,
      scope: 'oauth crm.objects.contacts.read crm.objects.deals.read',
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
  });

  it('uses the configured authorization endpoint', () => {
    const url = createHubSpotOAuth({
      ...options,
      endpoints: { authorizationUrl: 'http://127.0.0.1:9/oauth/authorize' },
    }).authorizationUrl({ state: 's', codeChallenge: challenge, resources: ['companies'] });
    expect(url.startsWith('http://127.0.0.1:9/oauth/authorize?')).toBe(true);
  });
});

describe('HubSpot scopes and revoke', () => {
  const oauth = createHubSpotOAuth(options);

  it('refuses a resource HubSpot does not offer', () => {
    expect(() => oauth.scopesFor(['mail'])).toThrow('hubspot does not offer the resource mail');
  });

  it('asks for every object type write scope, and the scope defining the tag property, for writes', () => {
    expect(oauth.scopesFor(['deals'], ['objects'])).toEqual([
      'oauth',
      'crm.objects.deals.read',
      'crm.objects.contacts.write',
      'crm.schemas.contacts.write',
      'crm.objects.companies.write',
      'crm.schemas.companies.write',
      'crm.objects.deals.write',
      'crm.schemas.deals.write',
    ]);
    expect(oauth.scopesFor(['deals'])).toEqual(['oauth', 'crm.objects.deals.read']);
  });

  it('has nothing to revoke without a refresh token', async () => {
    await expect(oauth.revoke({ accessToken: 'at' })).resolves.toBe('not_supported');
  });
});
