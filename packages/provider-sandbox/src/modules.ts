import { type ProviderModule } from './core/types';
import { googleModule } from './google';
import { createHubspotModule } from './hubspot';
import { createMicrosoftModule } from './microsoft';

/**
 * The provider modules a sandbox serves by default, made fresh per sandbox because a module may
 * bind per-sandbox state (the Microsoft module binds the sandbox clock). One line per provider.
 */
export function defaultModules(): ProviderModule[] {
  return [googleModule, createMicrosoftModule(), createHubspotModule()];
}
