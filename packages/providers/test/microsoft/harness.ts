// Test-only: a sandbox, an adapter pointed at it, and a way to run rounds the way the engine does, for the
// `*.int.test.ts` files here. Not exported from the adapter's index.
import { type ProviderAdapter } from '@crm-sync/core';
import {
  DEFAULT_CLIENT,
  defaultModules,
  startSandbox,
  type Account,
  type MicrosoftModuleOptions,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { grantThroughAdapter, endpointsOf, REDIRECT_URI, storedItems, trustingFetch } from '../sandbox';
import { createMicrosoftAdapter, type MicrosoftAdapterOptions } from '../../src/microsoft/index';

/**
 * The sandbox stores regular ids (`AAMkAG…`) and answers `Prefer: IdType="ImmutableId"` with another prefix
 * (`AAkALg…`, provider-sandbox src/microsoft/graph/render.ts). The control API takes the stored form.
 */
const STORED_PREFIX = 'AAMkAG';
const IMMUTABLE_PREFIX = 'AAkALg';
export const wireId = (storedId: string) => IMMUTABLE_PREFIX + storedId.slice(STORED_PREFIX.length);
export const storedId = (wire: string) => STORED_PREFIX + wire.slice(IMMUTABLE_PREFIX.length);

export interface GraphHarness {
  sandbox: RunningSandbox;
  adapter: ProviderAdapter;
  /** What the adapter was built with, for tests that build a variant. */
  adapterOptions: MicrosoftAdapterOptions;
  /** Trusts the sandbox's certificate (for the browser leg of the code flow). */
  fetch: typeof fetch;
  close(): Promise<void>;
}

export async function startGraphHarness(
  pageSize: number,
  microsoft: MicrosoftModuleOptions = {},
): Promise<GraphHarness> {
  const sandbox = await startSandbox({ modules: defaultModules({ microsoft }) });
  const trusted = trustingFetch(sandbox.caPem);
  const adapterOptions: MicrosoftAdapterOptions = {
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).microsoft,
    fetch: trusted,
    deltaPageSize: pageSize,
  };
  const adapter = createMicrosoftAdapter(adapterOptions);
  return {
    sandbox,
    adapter,
    adapterOptions,
    fetch: trusted,
    close: async () => {
      await sandbox.close();
    },
  };
}

/** A sandbox account and an access token for it, obtained through the adapter's own code flow. */
export async function connectAccount(
  h: GraphHarness,
  email: string,
  sizes: Record<string, number>,
): Promise<{ account: Account; accessToken: string }> {
  const account = h.sandbox.control.createAccount({ provider: 'microsoft', email, sizes });
  const grant = await grantThroughAdapter(h.sandbox, h.adapter, email, h.fetch);
  return { account, accessToken: grant.accessToken };
}

/** The delta links of a mail cursor (one per followed folder, src/microsoft/sync/mailState.ts). */
export function mailCursorLinks(cursor: string): string[] {
  return Object.values((JSON.parse(cursor) as { folders: Record<string, string> }).folders);
}

/** The delta link of a calendar cursor (stored with its window's end, src/microsoft/sync/calendar.ts). */
export function calendarCursorLinks(cursor: string): string[] {
  return [(JSON.parse(cursor) as { link: string }).link];
}

/** Every live item of one sandbox resource, by wire id, as the sandbox stores it. */
export function sandboxItems<Item>(h: GraphHarness, account: Account, resource: string): Map<string, Item> {
  return new Map(storedItems<Item>(h.sandbox, account, resource).map((item) => [wireId(item.id), item.data]));
}

export { applyRounds, FULL, incremental, runRound, type Round, type RoundOptions } from '../rounds';
