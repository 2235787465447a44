import { type OAuthClient } from '../../core/types';
import { googleRedirectRule } from './redirectUri';

const client = (googleClientType: 'web' | 'desktop'): OAuthClient => ({
  clientId: 'c',
  clientSecret: 's',
  redirectUris: ['https://crm.example.com/oauth/google', 'http://localhost:8080/cb'],
  googleClientType,
  allowLoopbackRedirects: false,
});

test.each([
  ['https://crm.example.com/oauth/google', true],
  ['http://localhost:8080/cb', true],
  ['http://localhost:8081/cb', false],
  ['https://crm.example.com/oauth/google/', false],
  ['https://crm.example.com/OAUTH/google', false],
  ['http://127.0.0.1:51004/cb', false],
])('a web client takes only its registered URIs: %s → %s', (uri, allowed) => {
  expect(googleRedirectRule(client('web'), uri)).toBe(allowed);
});

test.each([
  ['http://127.0.0.1:51004/oauth2redirect', true],
  ['http://[::1]:61023/cb', true],
  ['http://localhost:3000/any/path', true],
  ['https://127.0.0.1:51004/cb', false],
  ['http://10.0.0.2:51004/cb', false],
  ['https://crm.example.com/oauth/google', true],
  ['not a url', false],
])('a desktop client also takes any loopback IP redirect: %s → %s', (uri, allowed) => {
  expect(googleRedirectRule(client('desktop'), uri)).toBe(allowed);
});
