import { type ProviderModule } from './core/types';
import { createGoogleModule } from './google';
import { createHubspotModule, type HubSpotModuleOptions } from './hubspot';
import { createMicrosoftModule, type MicrosoftModuleOptions } from './microsoft';

/**
 * The provider modules a sandbox serves by default, made fresh per sandbox because a module may
 * bind per-sandbox state (the Microsoft module binds the sandbox clock). One line per provider.
 */
export function defaultModules(
  options: { hubspot?: HubSpotModuleOptions; microsoft?: MicrosoftModuleOptions } = {},
): ProviderModule[] {
  return [
    createGoogleModule(),
    createMicrosoftModule(options.microsoft),
    createHubspotModule(options.hubspot),
  ];
}
