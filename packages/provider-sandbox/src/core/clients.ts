import { timingSafeEqual } from 'node:crypto';
import { type ClientRegistry, type OAuthClient } from './types';

// The default client's sandbox-only convenience (see OAuthClient.allowLoopbackRedirects).
const DEV_LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//;

export function createClientRegistry(initial: OAuthClient[]): ClientRegistry {
  const clients = new Map<string, OAuthClient>();
  for (const client of initial) clients.set(client.clientId, { ...client });

  return {
    register(client) {
      clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris] });
    },
    get: (clientId) => clients.get(clientId),
    verifySecret(clientId, clientSecret) {
      const client = clients.get(clientId);
      if (!client || clientSecret === undefined) return false;
      const expected = Buffer.from(client.clientSecret);
      const given = Buffer.from(clientSecret);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
    redirectAllowed(clientId, redirectUri, rule) {
      const client = clients.get(clientId);
      if (!client) return false;
      return rule(client, redirectUri) || (client.allowLoopbackRedirects && DEV_LOOPBACK.test(redirectUri));
    },
  };
}
