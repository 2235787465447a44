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
export { trustCertificate } from './shared/trustCertificate';
export { noticeVerifiersFromConfig, type NoticeVerifiers } from './notices';
export { createRiscVerifier, GOOGLE_RISC_CONFIGURATION_URL, type RiscVerifier } from './google/notices/risc';
export { RISC_EVENT_TYPES } from './google/notices/riscEvents';
export { graphClientState } from './microsoft/notices/clientState';
export { graphValidationToken, verifyGraphLifecycle } from './microsoft/notices/lifecycle';
export { verifyGraphChanges } from './microsoft/notices/changes';
export { hubspotSignatureV3, type SignedHubSpotRequest } from './hubspot/notices/signature';
export { verifyHubSpotWebhook } from './hubspot/notices/webhook';
