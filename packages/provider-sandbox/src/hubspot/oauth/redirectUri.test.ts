import { type OAuthClient } from '../../core/types';
import { hubspotRedirectRule } from './redirectUri';

const client: OAuthClient = {
  clientId: 'c',
  clientSecret: 's',
  redirectUris: ['https://crm.example.com/oauth/hubspot', 'http://localhost:3000/oauth/hubspot'],
  allowLoopbackRedirects: false,
};

test.each([
  ['https://crm.example.com/oauth/hubspot', true],
  ['http://localhost:3000/oauth/hubspot', true],
  ['http://localhost:3001/oauth/hubspot', false],
  ['https://crm.example.com/oauth/hubspot?x=1', false],
  ['http://127.0.0.1:3000/oauth/hubspot', false],
])('only a registered redirect URL, exactly: %s → %s', (uri, allowed) => {
  expect(hubspotRedirectRule(client, uri)).toBe(allowed);
});
