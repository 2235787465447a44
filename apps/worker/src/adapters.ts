import { readFileSync } from 'node:fs';
import type { Config } from '@crm-sync/config';
import type { Provider, ProviderAdapter } from '@crm-sync/core';
import { createAdapterRegistry, sandboxEndpoints } from '@crm-sync/providers';
import { Agent } from 'undici';

// Same construction as connect-api's adapters.ts (a worker refreshes tokens and syncs with the same OAuth app);
// the redirect URI is only used at consent, but the adapter options require it.
const callbackUrl = (publicBaseUrl: string, provider: Provider) =>
  `${publicBaseUrl}/v1/oauth/${provider}/callback`;

/** Adapters for the configured providers; in sandbox mode Microsoft calls trust the emulator's certificate. */
export function adaptersFromConfig(config: Config): {
  adapters: ReadonlyMap<Provider, ProviderAdapter>;
  close: () => Promise<void>;
} {
  const { providers } = config;
  const redirectUri = (provider: Provider) => callbackUrl(config.connectApi.publicBaseUrl, provider);
  const sandbox = providers.endpoints.mode === 'sandbox' ? providers.endpoints : undefined;
  const endpoints = sandbox && sandboxEndpoints(sandbox, providers.microsoft?.tenant);
  const dispatcher = sandbox && new Agent({ connect: { ca: readFileSync(sandbox.caFile, 'utf8') } });
  const trusting: typeof fetch | undefined =
    dispatcher && ((input, init) => fetch(input, { ...init, dispatcher } as RequestInit));
  const adapters = createAdapterRegistry({
    google: providers.google && {
      ...providers.google,
      redirectUri: redirectUri('google'),
      fetch,
      endpoints: endpoints?.google,
    },
    microsoft: providers.microsoft && {
      ...providers.microsoft,
      redirectUri: redirectUri('microsoft'),
      fetch: trusting ?? fetch,
      endpoints: endpoints?.microsoft ?? {
        authorizationUrl: `https://login.microsoftonline.com/${providers.microsoft.tenant}/oauth2/v2.0/authorize`,
        tokenUrl: `https://login.microsoftonline.com/${providers.microsoft.tenant}/oauth2/v2.0/token`,
      },
    },
    hubspot: providers.hubspot && {
      ...providers.hubspot,
      redirectUri: redirectUri('hubspot'),
      endpoints: endpoints?.hubspot,
    },
  });
  return { adapters, close: async () => dispatcher?.close() };
}
