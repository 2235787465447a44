import { createHash } from 'node:crypto';
import { type HubSpotApis } from '../client';

/**
 * Which properties a round asks HubSpot for. Without a configured list, every property the portal defines for the
 * type, as `GET /crm/v3/properties/{objectType}` lists it (docs/providers/hubspot.md#properties): a custom property
 * created in HubSpot is synced from the next round on, with no change here. The object list and search return only
 * a few defaults unless asked for more by name (docs/providers/hubspot.md#crm-list).
 *
 * The definitions are read once per round and kept for its pages, in a small map keyed by the access token (as a
 * hash), the type and the round; a worker that takes over a round mid-way reads them once more. They are not
 * carried in the round's continuation, which `sync_states` rewrites with every page.
 */
export type PropertyNames = (apis: HubSpotApis, accessToken: string, round: string) => Promise<string[]>;

/** Rounds kept at once (per process): the concurrent rounds of one worker, with room to spare. */
const CACHED_ROUNDS = 512;

export function propertyNames(
  objectType: string,
  always: readonly string[],
  configured: readonly string[] | undefined,
): PropertyNames {
  if (configured) {
    const names = [...new Set([...configured, ...always])];
    return () => Promise.resolve(names);
  }
  const cache = new Map<string, string[]>();
  return async (apis, accessToken, round) => {
    const key = `${createHash('sha256').update(accessToken).digest('base64url')}|${objectType}|${round}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const { results } = await apis.properties.coreApi.getAll(objectType, false);
    const names = [...new Set([...results.filter((p) => !p.archived).map((p) => p.name), ...always])];
    if (cache.size >= CACHED_ROUNDS) cache.delete(cache.keys().next().value as string);
    cache.set(key, names);
    return names;
  };
}
