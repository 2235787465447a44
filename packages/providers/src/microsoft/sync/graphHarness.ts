// Test-only: a sandbox, an adapter pointed at it, and a way to run rounds the way the engine does, for the
// `*.int.test.ts` files here. Not exported from the adapter's index.
import {
  type ProviderAdapter,
  type RecordsByTable,
  type ResourceSyncer,
  type SyncPosition,
} from '@crm-sync/core';
import { DEFAULT_CLIENT, startSandbox, type Account, type RunningSandbox } from '@crm-sync/provider-sandbox';
import { pkcePair } from '../../testSupport/pkce';
import { authorizeCode, endpointsOf, REDIRECT_URI, trustingFetch } from '../../testSupport/sandbox';
import { createMicrosoftAdapter } from '../index';
import { type DeltaTable } from './delta';

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
  /** Trusts the sandbox's certificate (for the browser leg of the code flow). */
  fetch: typeof fetch;
  close(): Promise<void>;
}

export async function startGraphHarness(pageSize: number): Promise<GraphHarness> {
  const sandbox = await startSandbox();
  const trusted = trustingFetch(sandbox.caPem);
  const adapter = createMicrosoftAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).microsoft,
    fetch: trusted.fetch,
    deltaPageSize: pageSize,
  });
  return {
    sandbox,
    adapter,
    fetch: trusted.fetch,
    close: async () => {
      await trusted.close();
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
  const { verifier, challenge } = pkcePair();
  const url = h.adapter.oauth.authorizationUrl({
    state: 's',
    codeChallenge: challenge,
    resources: ['mail', 'calendar', 'contacts'],
    loginHint: email,
  });
  const code = await authorizeCode(url, h.fetch);
  const grant = await h.adapter.oauth.exchangeCode({ code, codeVerifier: verifier });
  return { account, accessToken: grant.accessToken };
}

/** Every live item of one sandbox resource, by wire id, as the sandbox stores it. */
export function sandboxItems<Item>(h: GraphHarness, account: Account, resource: string): Map<string, Item> {
  const { accounts, datasets } = h.sandbox.context;
  const generator = datasets.generator('microsoft', resource);
  const stored = accounts.get('microsoft', account.id);
  if (!generator || !stored) throw new Error(`no sandbox ${resource} for ${account.id}`);
  const dataset = datasets.open(stored, generator);
  const items = new Map<string, Item>();
  let after: number | undefined;
  do {
    const page = dataset.page({ ...(after === undefined ? {} : { after }), limit: 1000, order: 'asc' });
    for (const item of page.items) items.set(wireId(item.id), item.data as Item);
    after = page.nextOrdinal;
  } while (after !== undefined);
  return items;
}

export interface Round<T extends DeltaTable> {
  /** Each page's changes, in order (the engine applies a page's upserts, then its deletes). */
  pages: { upserts: RecordsByTable[T][]; deletes: string[] }[];
  upserts: RecordsByTable[T][];
  deletes: string[];
  cursor: string;
  /** Every continuation handed back, after a JSON round trip (what sync_states stores). */
  continuations: unknown[];
}

export interface RoundOptions {
  accessToken: string;
  now: Date;
  initialWindowDays: number;
  /** Called after each page that is not the last, with the number of pages so far. */
  afterPage?: (pages: number) => void;
}

/** Runs a round to its end the way the engine does: page by page, resuming only from what was stored. */
export async function runRound<T extends DeltaTable>(
  syncer: ResourceSyncer<T>,
  start: SyncPosition,
  options: RoundOptions,
): Promise<Round<T>> {
  const round: Round<T> = { pages: [], upserts: [], deletes: [], cursor: '', continuations: [] };
  let position = start;
  for (;;) {
    const page = await syncer.fetchPage({
      accessToken: options.accessToken,
      position,
      now: options.now,
      initialWindowDays: options.initialWindowDays,
    });
    round.pages.push({ upserts: page.upserts, deletes: page.deletes });
    round.upserts.push(...page.upserts);
    round.deletes.push(...page.deletes);
    if (page.next.kind === 'caught_up') return { ...round, cursor: page.next.cursor };
    const stored = JSON.parse(JSON.stringify(page.next.continuation)) as SyncPosition['continuation'];
    round.continuations.push(stored);
    position = { ...position, continuation: stored };
    options.afterPage?.(round.pages.length);
  }
}

/** What a CRM table holds after the rounds' pages are applied in order, as the engine applies them. */
export function applyRounds<T extends DeltaTable>(rounds: Round<T>[]): Map<string, RecordsByTable[T]> {
  const table = new Map<string, RecordsByTable[T]>();
  for (const page of rounds.flatMap((round) => round.pages)) {
    for (const record of page.upserts) table.set(record.externalId, record);
    for (const id of page.deletes) table.delete(id);
  }
  return table;
}

export const FULL: SyncPosition = { mode: 'full', cursor: null, continuation: null };
export const incremental = (cursor: string): SyncPosition => ({
  mode: 'incremental',
  cursor,
  continuation: null,
});
