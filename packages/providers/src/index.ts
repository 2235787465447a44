export {
  createGoogleAdapter,
  GOOGLE_ENDPOINTS,
  GOOGLE_DESCRIPTOR,
  type GoogleAdapterOptions,
} from './google';
export {
  createMicrosoftAdapter,
  MICROSOFT_DESCRIPTOR,
  MICROSOFT_ENDPOINTS,
  type MicrosoftAdapterOptions,
} from './microsoft';
export {
  createHubSpotAdapter,
  HUBSPOT_DESCRIPTOR,
  HUBSPOT_ENDPOINTS,
  type HubSpotAdapterOptions,
} from './hubspot';
export {
  ADAPTER_FACTORIES,
  createAdapterRegistry,
  type AdapterRegistry,
  type ProviderOptionsById,
} from './registry';
export { parseRetryAfter } from './shared/retryAfter';
export { type OAuthClientOptions } from './shared/options';
export { sandboxEndpoints } from './sandboxEndpoints';
export { adaptersFromConfig, oauthCallbackUrl } from './fromConfig';
