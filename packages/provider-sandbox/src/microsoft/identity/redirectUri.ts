import { type RedirectRule } from '../../core/types';

// IPv6 loopback ([::1]) is not supported by Entra, so it is not a loopback host here.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

const parse = (uri: string): URL | undefined => (URL.canParse(uri) ? new URL(uri) : undefined);

/** Equal but for the port, which Entra ignores for loopback redirect URIs. */
function sameIgnoringPort(registered: URL, requested: URL): boolean {
  return (
    registered.protocol === requested.protocol &&
    registered.hostname === requested.hostname &&
    registered.pathname === requested.pathname &&
    registered.search === requested.search
  );
}

/**
 * Entra: a redirect URI matches a registered one exactly (paths are case-sensitive), except that for
 * `localhost` and `127.0.0.1` the port is ignored (docs/providers/microsoft.md#redirect-uris).
 */
export const microsoftRedirectRule: RedirectRule = (client, redirectUri) => {
  if (client.redirectUris.includes(redirectUri)) return true;
  const requested = parse(redirectUri);
  if (requested === undefined || !LOOPBACK_HOSTS.has(requested.hostname)) return false;
  return client.redirectUris.some((uri) => {
    const registered = parse(uri);
    return registered !== undefined && sameIgnoringPort(registered, requested);
  });
};
