import { type FastifyInstance } from 'fastify';
import { type KeyPairs } from '../risc/keys';

/**
 * Google's OpenID Connect key set (https://www.googleapis.com/oauth2/v3/certs), which Pub/Sub push tokens are signed
 * with, as the sandbox serves it: its own key, so a receiver verifies sandbox pushes exactly as Google's.
 */
export function registerOidcKeys(app: FastifyInstance, keys: KeyPairs): void {
  const route = {
    config: { sandbox: { provider: 'google' as const, routeId: 'oauth2.certs', auth: false } },
  };
  app.get('/oauth2/v3/certs', route, async () => ({ keys: [(await keys()).published.publicJwk] }));
}
