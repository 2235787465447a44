import type { RequestTally } from '@crm-sync/core';
import { Client } from '@hubspot/api-client';

/**
 * What every data call needs besides the token: where HubSpot is. No agent: the SDK sends with node-fetch and
 * ignores its `httpAgent` option (below), so its API is reached over the public CA or, in the sandbox, plain http.
 */
export interface HubSpotClientOptions {
  apiBaseUrl: string;
}

/**
 * The parts of the SDK the syncers use: the generic CRM objects API (`/crm/v3/objects/{objectType}`), v4
 * associations, the properties API and the owners API.
 */
export interface HubSpotApis {
  objects: Client['crm']['objects'];
  associations: Client['crm']['associations']['v4'];
  properties: Client['crm']['properties'];
  owners: Client['crm']['owners']['ownersApi'];
}

/**
 * An SDK client for one account's access token. Made per call because tokens are per account and refreshed
 * between slices; the SDK keeps no connection state of its own. No SDK retries: the sync engine decides when to
 * retry from the classified error, and two retry loops would multiply waits and requests
 * (docs/providers/clients.md#client-retries).
 */
export function hubspotApis(
  options: HubSpotClientOptions,
  accessToken: string,
  tally?: RequestTally,
): HubSpotApis {
  const { crm } = new Client({
    basePath: options.apiBaseUrl,
    accessToken,
    numberOfApiCallRetries: 0,
  });
  const apis: HubSpotApis = {
    objects: crm.objects,
    associations: crm.associations.v4,
    properties: crm.properties,
    owners: crm.owners.ownersApi,
  };
  return tally ? counted(apis, tally) : apis;
}

/**
 * Counts what the syncers send against the account's 110 requests per 10 s: one per call of an API method (each
 * sends exactly one request: no SDK retries, and no paging helper is used), a batch call as one, searches not at all
 * since HubSpot limits them apart (docs/providers/hubspot.md#rate-limits). Counted here rather than in the SDK's
 * `middleware` option because 13.5.0 never applies it: its generated ObservableAPI runs only middleware passed with
 * each call (so its `httpAgent` option, applied the same way, has no effect either, and none is offered here).
 */
function counted(apis: HubSpotApis, tally: RequestTally): HubSpotApis {
  const methods = <T extends object>(api: T): T =>
    new Proxy(api, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          tally.add(1);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  // `objects.searchApi` stays uncounted; every other `…Api` of a discovery object counts its calls.
  const discovery = <T extends object>(group: T): T =>
    new Proxy(group, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        const api = typeof key === 'string' && key.endsWith('Api') && key !== 'searchApi';
        return api && typeof value === 'object' && value !== null ? methods(value) : value;
      },
    });
  return {
    objects: discovery(apis.objects),
    associations: discovery(apis.associations),
    properties: discovery(apis.properties),
    owners: methods(apis.owners),
  };
}
