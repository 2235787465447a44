import { isResourceOf, type Provider, type Resource, type WriteResource } from '@crm-sync/core';

/** Identity scopes first, then each resource's, without duplicates, in a stable order. */
export function scopesFor(
  provider: Provider,
  identityScopes: readonly string[],
  byResource: Partial<Record<Resource, readonly string[]>>,
  resources: readonly Resource[],
): string[] {
  const scopes = new Set(identityScopes);
  for (const resource of resources) {
    const forResource = byResource[resource];
    // Asking a provider for a resource it does not offer is a caller bug, not an expected outcome.
    if (!isResourceOf(provider, resource) || !forResource) {
      throw new Error(`${provider} does not offer the resource ${resource}`);
    }
    for (const scope of forResource) scopes.add(scope);
  }
  return [...scopes];
}

/**
 * The write scope asked for per write-back resource: the first of each one's list (any of which lets a write
 * through). Resources the adapter cannot write are refused before scopes are asked for (connections/startConnect).
 */
export function writeScopesFor(
  byResource: Partial<Record<WriteResource, readonly string[]>>,
  writes: readonly WriteResource[],
): string[] {
  return writes.flatMap((w) => byResource[w]?.slice(0, 1) ?? []);
}

/** Token endpoints report granted scopes as one space-separated string (HubSpot: an array on token info). */
export function splitScopes(scope: string | undefined | null): string[] {
  return (scope ?? '').split(' ').filter((s) => s !== '');
}

export function expiryFrom(
  expiresInSeconds: number | undefined | null,
  now: number = Date.now(),
): Date | null {
  return typeof expiresInSeconds === 'number' && Number.isFinite(expiresInSeconds)
    ? new Date(now + expiresInSeconds * 1000)
    : null;
}
