import { readFileSync } from 'node:fs';
import type { ProvidersConfig } from '@crm-sync/config';
import type { Provider, ProviderAdapter } from '@crm-sync/core';
import { createAdapterRegistry } from './registry';
import { sandboxEndpoints } from './sandboxEndpoints';
import { trustCertificate } from './shared/trustCertificate';

/** The OAuth redirect URI registered with every provider for a deployment reachable at `publicBaseUrl`. */
export const oauthCallbackUrl = (publicBaseUrl: string, provider: Provider) =>
  `${publicBaseUrl}/v1/oauth/${provider}/callback`;

/**
 * Adapters for the providers that have credentials, as every process builds them (connect-api runs consent;
 * workers refresh and sync with the same OAuth app). In sandbox mode every endpoint points at the emulator and
 * Microsoft calls, alone, trust the emulator's self-signed certificate.
 */
export function adaptersFromConfig(
  providers: ProvidersConfig,
  publicBaseUrl: string,
): { adapters: ReadonlyMap<Provider, ProviderAdapter> } {
  const redirectUri = (provider: Provider) => oauthCallbackUrl(publicBaseUrl, provider);
  const sandbox = providers.endpoints.mode === 'sandbox' ? providers.endpoints : undefined;
  const endpoints = sandbox && sandboxEndpoints(sandbox, providers.microsoft?.tenant);
  // The emulator's certificate is read at the first Microsoft call, so a process that never calls a provider (the
  // scheduler reads only the adapters' documented token lifetimes) starts without it.
  let trusted = false;
  const trusting: typeof fetch | undefined =
    sandbox &&
    ((input, init) => {
      if (!trusted) trustCertificate(readFileSync(sandbox.caFile, 'utf8'));
      trusted = true;
      return fetch(input, init);
    });
  const tenant = providers.microsoft?.tenant ?? 'common';
  const adapters = createAdapterRegistry({
    google: providers.google && {
      ...providers.google,
      redirectUri: redirectUri('google'),
      fetch,
      endpoints: endpoints?.google,
      mailBody: providers.mailBody,
      ...(providers.google.gmailPush && { gmailPushTopic: providers.google.gmailPush.topic }),
    },
    microsoft: providers.microsoft && {
      ...providers.microsoft,
      redirectUri: redirectUri('microsoft'),
      mailBody: providers.mailBody,
      fetch: trusting ?? fetch,
      endpoints: endpoints?.microsoft ?? {
        authorizationUrl: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`,
        tokenUrl: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
      },
    },
    hubspot: providers.hubspot && {
      clientId: providers.hubspot.clientId,
      clientSecret: providers.hubspot.clientSecret,
      redirectUri: redirectUri('hubspot'),
      endpoints: endpoints?.hubspot,
      syncFullRoundEveryMs: providers.hubspot.fullRoundEveryMs,
      syncAssociationPassEveryMs: providers.hubspot.associationPassEveryMs,
      syncProperties: providers.hubspot.properties,
      webhookResources: providers.hubspot.webhookResources,
    },
  });
  return { adapters };
}
