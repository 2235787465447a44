import { type RedirectRule } from '../../core/types';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const parse = (uri: string): URL | undefined => (URL.canParse(uri) ? new URL(uri) : undefined);

/**
 * Google: a redirect URI must exactly match one registered for the client; a desktop client may instead use a
 * loopback IP redirect on any port and path (docs/providers/google.md#redirect-uris).
 */
export const googleRedirectRule: RedirectRule = (client, redirectUri) => {
  if (client.redirectUris.includes(redirectUri)) return true;
  if (client.googleClientType !== 'desktop') return false;
  const url = parse(redirectUri);
  return url !== undefined && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
};
