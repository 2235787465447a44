import { type RedirectRule } from '../../core/types';

/** HubSpot validates `redirect_uri` against the app's redirect URLs (docs/providers/hubspot.md#redirect-urls). */
export const hubspotRedirectRule: RedirectRule = (client, redirectUri) =>
  client.redirectUris.includes(redirectUri);
