import { type ProviderAdapter } from '@crm-sync/core';
import { classifyHubSpotError } from './errors';
import { createHubSpotOAuth, type HubSpotOAuthOptions } from './oauth';

export type HubSpotAdapterOptions = HubSpotOAuthOptions;

export function createHubSpotAdapter(options: HubSpotAdapterOptions): ProviderAdapter {
  return { id: 'hubspot', oauth: createHubSpotOAuth(options), classifyError: classifyHubSpotError };
}

export { HUBSPOT_DESCRIPTOR, HUBSPOT_ENDPOINTS, type HubSpotEndpoints } from './descriptor';
export { classifyHubSpotError, isHubSpotApiError } from './errors';
