// Test-only helpers for the HubSpot tests: a sandbox with this module, the install flow, and the
// official SDK pointed at the sandbox (`basePath`, docs/providers/clients.md#hubspot-basepath).
import { Client } from '@hubspot/api-client';
import { request } from 'undici';
import { createSandbox } from '../src/core/server';
import { type Account, DEFAULT_CLIENT, type RunningSandbox, type SandboxOptions } from '../src/core/types';
import { createHubspotModule, type HubSpotModuleOptions } from '../src/hubspot/index';

export const REDIRECT_URI = 'http://127.0.0.1:5556/hubspot/callback';
export const SCOPES = 'oauth crm.objects.contacts.read crm.objects.companies.read crm.objects.deals.read';

export function startHubspotSandbox(
  options: SandboxOptions = {},
  module: HubSpotModuleOptions = {},
): Promise<RunningSandbox> {
  return createSandbox([createHubspotModule(module)], options);
}

/** A HubSpot account (the module gives it HubSpot's 30-minute access tokens). */
export function createPortal(
  sandbox: RunningSandbox,
  email: string,
  sizes: Record<string, number>,
  rotate = false,
): Account {
  return sandbox.control.createAccount({
    provider: 'hubspot',
    email,
    sizes,
    settings: { refreshRotation: rotate ? 'rotate' : 'same' },
  });
}

export async function authorize(sandbox: RunningSandbox, email: string, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({
    client_id: DEFAULT_CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    scope: SCOPES,
    optional_scope: 'crm.objects.owners.read',
    state: 'hs-state',
    login_hint: email,
    ...extra,
  });
  const response = await request(`${sandbox.urls.hubspot}/oauth/authorize?${query}`);
  await response.body.dump();
  const target = response.headers.location;
  return { status: response.statusCode, location: typeof target === 'string' ? new URL(target) : undefined };
}

export function sdk(sandbox: RunningSandbox, accessToken?: string, numberOfApiCallRetries?: number): Client {
  return new Client({
    basePath: sandbox.urls.hubspot,
    ...(accessToken === undefined ? {} : { accessToken }),
    ...(numberOfApiCallRetries === undefined ? {} : { numberOfApiCallRetries }),
  });
}

/** The install flow: authorize in the "browser", then exchange the code with the SDK. */
export async function install(sandbox: RunningSandbox, email: string) {
  const { location } = await authorize(sandbox, email);
  const code = location?.searchParams.get('code');
  if (code === null || code === undefined)
    throw new Error(`install failed: ${location?.searchParams.get('error')}`);
  return sdk(sandbox).oauth.tokensApi.create(
    'authorization_code',
    code,
    REDIRECT_URI,
    DEFAULT_CLIENT.clientId,
    DEFAULT_CLIENT.clientSecret,
  );
}

export function refresh(sandbox: RunningSandbox, refreshToken: string) {
  return sdk(sandbox).oauth.tokensApi.create(
    'refresh_token',
    undefined,
    undefined,
    DEFAULT_CLIENT.clientId,
    DEFAULT_CLIENT.clientSecret,
    refreshToken,
  );
}

/** The SDK rejects with `{code, body}`; tests read both. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; body: Record<string, unknown>; headers: Record<string, string> };
  }
  throw new Error('expected the call to fail');
}
