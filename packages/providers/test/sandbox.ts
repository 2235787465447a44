import {
  ClassifiedProviderError,
  RESOURCES_BY_PROVIDER,
  type ProviderAdapter,
  type ProviderErrorClass,
  type TokenGrant,
} from '@crm-sync/core';
import { type Account, type RunningSandbox, type StoredItem } from '@crm-sync/provider-sandbox';
import { sandboxEndpoints } from '../src/sandboxEndpoints';
import { trustCertificate } from '../src/shared/trustCertificate';
import { pkcePair } from './pkce';

/** Any loopback redirect is accepted by the sandbox's default client; nothing listens here, we never follow it. */
export const REDIRECT_URI = 'http://127.0.0.1:9/oauth/callback';

/**
 * Plays the browser: opens the authorization URL, does not follow the redirect, and takes `code` from the Location
 * header. Throws (a test failure) when the sandbox answered anything but a redirect carrying a code.
 */
export async function authorizeCode(url: string, send: typeof fetch = fetch): Promise<string> {
  const response = await send(url, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (response.status !== 302 || !code) {
    const error = location ? new URL(location).searchParams.get('error') : null;
    throw new Error(`authorize answered ${response.status} ${error ?? ''}`);
  }
  return code;
}

/** The classification of a call expected to fail with a ClassifiedProviderError. */
export async function classificationOf(promise: Promise<unknown>): Promise<ProviderErrorClass> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClassifiedProviderError) return error.classification;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Fetch, once the process trusts the sandbox's self-signed certificate (its https listener serves Microsoft). */
export function trustingFetch(caPem: string): typeof fetch {
  trustCertificate(caPem);
  return fetch;
}

/** The adapters' endpoints at this running sandbox, as connect-api's sandbox mode builds them. */
export function endpointsOf(sandbox: RunningSandbox): ReturnType<typeof sandboxEndpoints> {
  return sandboxEndpoints({ httpUrl: sandbox.urls.google, httpsUrl: sandbox.urls.microsoft });
}

/** Every live item of one sandbox resource of an account, in the sandbox's creation order. */
export function storedItems<Item>(
  sandbox: RunningSandbox,
  account: Account,
  resource: string,
): StoredItem<Item>[] {
  const { accounts, datasets } = sandbox.context;
  const generator = datasets.generator(account.provider, resource);
  const stored = accounts.get(account.provider, account.id);
  if (!generator || !stored) throw new Error(`no sandbox ${resource} for ${account.id}`);
  const dataset = datasets.open(stored, generator);
  const items: StoredItem<Item>[] = [];
  let after: number | undefined;
  do {
    const page = dataset.page({ ...(after === undefined ? {} : { after }), limit: 1000, order: 'asc' });
    items.push(...(page.items as StoredItem<Item>[]));
    after = page.nextOrdinal;
  } while (after !== undefined);
  return items;
}

/**
 * Consents as `email` through the adapter's own code flow (PKCE, the sandbox's redirect, the code exchange), for
 * every resource the provider offers, and returns the grant.
 */
export async function grantThroughAdapter(
  sandbox: RunningSandbox,
  adapter: ProviderAdapter,
  email: string,
  send: typeof fetch = fetch,
): Promise<TokenGrant> {
  // HubSpot's consent ignores login_hint (the user picks a portal in its UI): name the account for every provider.
  sandbox.control.setAuthorize(adapter.id, { defaultLoginEmail: email });
  const { verifier, challenge } = pkcePair();
  const url = adapter.oauth.authorizationUrl({
    state: 's',
    codeChallenge: challenge,
    resources: RESOURCES_BY_PROVIDER[adapter.id],
    loginHint: email,
  });
  return adapter.oauth.exchangeCode({ code: await authorizeCode(url, send), codeVerifier: verifier });
}
