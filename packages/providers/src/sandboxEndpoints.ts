import { type ProviderOptionsById } from './registry';

type EndpointsById = { [P in keyof ProviderOptionsById]: NonNullable<ProviderOptionsById[P]['endpoints']> };

/**
 * Every provider endpoint at the project's provider sandbox: Google and HubSpot on its http origin, Microsoft on
 * its https origin (the Graph client only sends the bearer token over https,
 * docs/providers/clients.md#graph-client-https-and-customhosts). This is how `npm start` and the tests run the
 * production code paths with only base URLs changed.
 */
export function sandboxEndpoints(
  origins: { httpUrl: string; httpsUrl: string },
  microsoftTenant = 'common',
): EndpointsById {
  const http = origins.httpUrl.replace(/\/+$/, '');
  const https = origins.httpsUrl.replace(/\/+$/, '');
  return {
    google: {
      authorizationUrl: `${http}/o/oauth2/v2/auth`,
      tokenUrl: `${http}/token`,
      revokeUrl: `${http}/revoke`,
      apiRootUrl: `${http}/`,
    },
    microsoft: {
      authorizationUrl: `${https}/${microsoftTenant}/oauth2/v2.0/authorize`,
      tokenUrl: `${https}/${microsoftTenant}/oauth2/v2.0/token`,
      graphBaseUrl: `${https}/`,
    },
    hubspot: { authorizationUrl: `${http}/oauth/authorize`, apiBaseUrl: http },
  };
}
