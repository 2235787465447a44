import { type ProviderAdapter } from '@crm-sync/core';
import { classifyMicrosoftError } from './errors';
import { createMicrosoftOAuth, type MicrosoftOAuthOptions } from './oauth';

export type MicrosoftAdapterOptions = MicrosoftOAuthOptions;

export function createMicrosoftAdapter(options: MicrosoftAdapterOptions): ProviderAdapter {
  return { id: 'microsoft', oauth: createMicrosoftOAuth(options), classifyError: classifyMicrosoftError };
}

export { MICROSOFT_DESCRIPTOR, MICROSOFT_ENDPOINTS, type MicrosoftEndpoints } from './descriptor';
export { classifyMicrosoftError } from './errors';
