import { Client } from '@hubspot/api-client';
import { type Agent as HttpAgent } from 'node:http';
import { type Agent as HttpsAgent } from 'node:https';

/** What every data call needs besides the token: where HubSpot is and how to reach it. */
export interface HubSpotClientOptions {
  apiBaseUrl: string;
  httpAgent?: HttpAgent | HttpsAgent;
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
export function hubspotApis(options: HubSpotClientOptions, accessToken: string): HubSpotApis {
  const { crm } = new Client({
    basePath: options.apiBaseUrl,
    accessToken,
    numberOfApiCallRetries: 0,
    ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
  });
  return {
    objects: crm.objects,
    associations: crm.associations.v4,
    properties: crm.properties,
    owners: crm.owners.ownersApi,
  };
}
