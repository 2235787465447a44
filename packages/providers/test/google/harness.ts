// Test-only: a sandbox, a Google adapter pointed at it, and a way to run rounds the way the engine does, for the
// `*.int.test.ts` files here. Not exported from the adapter's index.
import { type ProviderAdapter } from '@crm-sync/core';
import {
  DEFAULT_CLIENT,
  startSandbox,
  type Account,
  type RunningSandbox,
  type StoredItem,
} from '@crm-sync/provider-sandbox';
import { endpointsOf, grantThroughAdapter, REDIRECT_URI, storedItems } from '../sandbox';
import { createGoogleAdapter, type GoogleSyncOptions } from '../../src/google/index';

export interface GoogleHarness {
  sandbox: RunningSandbox;
  adapter: ProviderAdapter;
  /** Another adapter on the same sandbox, whose HTTP calls go through `send` (to act between two requests). */
  adapterWith(send: typeof fetch): ProviderAdapter;
  close(): Promise<void>;
}

export async function startGoogleHarness(sync: Partial<GoogleSyncOptions>): Promise<GoogleHarness> {
  const sandbox = await startSandbox();
  const adapterWith = (send: typeof fetch) =>
    createGoogleAdapter({
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      redirectUri: REDIRECT_URI,
      endpoints: endpointsOf(sandbox).google,
      // gaxios would load node-fetch by dynamic import, which Jest's CommonJS runtime refuses.
      fetch: send,
      sync,
    });
  return { sandbox, adapter: adapterWith(fetch), adapterWith, close: () => sandbox.close() };
}

export interface Connected {
  account: Account;
  accessToken: string;
  refreshToken: string;
}

/** A sandbox account and tokens for it, obtained through the adapter's own code flow. */
export async function connectAccount(
  h: GoogleHarness,
  email: string,
  sizes: Record<string, number>,
): Promise<Connected> {
  const account = h.sandbox.control.createAccount({ provider: 'google', email, sizes });
  const grant = await grantThroughAdapter(h.sandbox, h.adapter, email);
  if (!grant.refreshToken) throw new Error('the sandbox issued no refresh token');
  return { account, accessToken: grant.accessToken, refreshToken: grant.refreshToken };
}

/** Every live item of one sandbox resource, in the sandbox's creation order. */
export function sandboxItems<Item>(h: GoogleHarness, account: Account, resource: string): StoredItem<Item>[] {
  return storedItems<Item>(h.sandbox, account, resource);
}

export { applyRounds, FULL, incremental, runRound, type Round, type RoundOptions } from '../rounds';
