import { type Provider, type ProviderAdapter } from '@crm-sync/core';
import { createGoogleAdapter, type GoogleAdapterOptions } from './google';
import { createHubSpotAdapter, type HubSpotAdapterOptions } from './hubspot';
import { createMicrosoftAdapter, type MicrosoftAdapterOptions } from './microsoft';

/** Options per provider id; a provider left out is not configured and gets no adapter. */
export interface ProviderOptionsById {
  google: GoogleAdapterOptions;
  microsoft: MicrosoftAdapterOptions;
  hubspot: HubSpotAdapterOptions;
}

/** The one place that pairs a provider id with its adapter; nothing else switches on the provider. */
export const ADAPTER_FACTORIES: { [P in Provider]: (options: ProviderOptionsById[P]) => ProviderAdapter } = {
  google: createGoogleAdapter,
  microsoft: createMicrosoftAdapter,
  hubspot: createHubSpotAdapter,
};

export type AdapterRegistry = ReadonlyMap<Provider, ProviderAdapter>;

/** Builds an adapter for each configured provider. */
export function createAdapterRegistry(options: Partial<ProviderOptionsById>): AdapterRegistry {
  const adapters = new Map<Provider, ProviderAdapter>();
  if (options.google) adapters.set('google', ADAPTER_FACTORIES.google(options.google));
  if (options.microsoft) adapters.set('microsoft', ADAPTER_FACTORIES.microsoft(options.microsoft));
  if (options.hubspot) adapters.set('hubspot', ADAPTER_FACTORIES.hubspot(options.hubspot));
  return adapters;
}
