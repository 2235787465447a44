import { type OAuthClient } from '../../core/types';
import { microsoftRedirectRule } from './redirectUri';

const client: OAuthClient = {
  clientId: 'c',
  clientSecret: 's',
  redirectUris: [
    'https://crm.example.com/auth',
    'http://127.0.0.1/v1/oauth/microsoft/callback',
    'http://localhost/MyApp',
  ],
  allowLoopbackRedirects: false,
};

test.each([
  ['https://crm.example.com/auth', true],
  ['https://crm.example.com:8443/auth', false],
  ['http://127.0.0.1:3000/v1/oauth/microsoft/callback', true],
  ['http://127.0.0.1/v1/oauth/microsoft/callback', true],
  ['http://127.0.0.1:3000/v1/oauth/hubspot/callback', false],
  ['http://localhost:1234/MyApp', true],
  ['http://localhost:1234/myapp', false],
  ['http://localhost:1234/MyApp?x=1', false],
  ['https://127.0.0.1:3000/v1/oauth/microsoft/callback', false],
  ['http://[::1]:3000/v1/oauth/microsoft/callback', false],
  ['http://localhost:3000/v1/oauth/microsoft/callback', false],
])('exact match, the port ignored for localhost and 127.0.0.1: %s → %s', (uri, allowed) => {
  expect(microsoftRedirectRule(client, uri)).toBe(allowed);
});
