import type { ProviderOAuth, Resource } from '@crm-sync/core';

/**
 * Providers echo scopes in their own spelling: Microsoft answers `Mail.Read` with
 * `https://graph.microsoft.com/Mail.Read`, Google answers `email` with `.../auth/userinfo.email`. A requested
 * scope counts as granted when the granted one is the same or a URL ending in it (or the other way round).
 */
function scopeGranted(requested: string, granted: readonly string[]): boolean {
  const tail = (s: string) => s.slice(s.lastIndexOf('/') + 1).replace(/^userinfo\./, '');
  return granted.some((g) => g === requested || tail(g) === tail(requested));
}

/**
 * For each requested resource, the scopes it needs that the provider did not grant. Identity scopes (those
 * requested even for no resource) are left out: they do not decide whether a resource can sync. An empty grant
 * list means the provider did not report scopes, so nothing can be judged missing.
 */
export function missingScopesByResource(
  oauth: Pick<ProviderOAuth, 'scopesFor'>,
  resources: readonly Resource[],
  granted: readonly string[],
): Partial<Record<Resource, string[]>> {
  if (granted.length === 0) return {};
  const identity = new Set(oauth.scopesFor([]));
  const missing: Partial<Record<Resource, string[]>> = {};
  for (const resource of resources) {
    const lacking = oauth
      .scopesFor([resource])
      .filter((s) => !identity.has(s))
      .filter((s) => !scopeGranted(s, granted));
    if (lacking.length > 0) missing[resource] = lacking;
  }
  return missing;
}
