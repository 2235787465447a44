import { type ProviderAdapter } from '@crm-sync/core';
import { classifyGoogleError } from './errors';
import { createGoogleOAuth, type GoogleOAuthOptions } from './oauth';

export type GoogleAdapterOptions = GoogleOAuthOptions;

export function createGoogleAdapter(options: GoogleAdapterOptions): ProviderAdapter {
  return { id: 'google', oauth: createGoogleOAuth(options), classifyError: classifyGoogleError };
}

export { GOOGLE_DESCRIPTOR, GOOGLE_ENDPOINTS, type GoogleEndpoints } from './descriptor';
export { classifyGoogleError } from './errors';
