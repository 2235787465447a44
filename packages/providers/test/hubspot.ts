// Test-only helpers for the HubSpot sync tests: a settable sandbox clock, a connection through the adapter's own
// OAuth, and a driver that pages one round to its end the way the sync engine does (continuation in, out).
import {
  type CrmObjectRecord,
  type ItemLinks,
  type ProviderAdapter,
  type ResourceSyncer,
  type SyncContinuation,
  type SyncPosition,
} from '@crm-sync/core';
import { type Account, type Clock, type RunningSandbox } from '@crm-sync/provider-sandbox';
import { grantThroughAdapter } from './sandbox';

/** A sandbox clock the test moves by hand, so edits get known last-modified instants. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): number;
}

export function manualClock(start: number): ManualClock {
  let now = start;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => (now += ms),
  };
}

/** A HubSpot portal whose access tokens outlive any clock move a test makes. */
export function createPortal(sandbox: RunningSandbox, email: string, sizes: Record<string, number>): Account {
  return sandbox.control.createAccount({
    provider: 'hubspot',
    email,
    sizes,
    settings: { accessTokenTtlSeconds: 30 * 24 * 3600 },
  });
}

/** Installs the app in the portal through the adapter's OAuth (authorize, code exchange with PKCE). */
export async function connect(
  sandbox: RunningSandbox,
  adapter: ProviderAdapter,
  email: string,
): Promise<{ accessToken: string; refreshToken: string }> {
  const grant = await grantThroughAdapter(sandbox, adapter, email);
  if (!grant.refreshToken) throw new Error('the sandbox issued no refresh token');
  return { accessToken: grant.accessToken, refreshToken: grant.refreshToken };
}

export interface RoundResult {
  upserts: CrmObjectRecord[];
  deletes: string[];
  /** Every link set the round listed, in order. */
  links: ItemLinks[];
  cursor: string;
  pages: number;
  /** Every continuation handed back, JSON round-tripped as `sync_states` stores them. */
  continuations: SyncContinuation[];
}

/**
 * Pages a round to `caught_up`, storing each continuation as JSON text and reading it back, as the engine does.
 * `beforePage(n)` runs before page n (0-based): the place to change the sandbox mid-round.
 */
export async function runRound(
  syncer: ResourceSyncer,
  accessToken: string,
  start: Pick<SyncPosition, 'mode' | 'cursor'>,
  clock: Clock,
  beforePage?: (page: number) => void,
): Promise<RoundResult> {
  const result: RoundResult = {
    upserts: [],
    deletes: [],
    links: [],
    cursor: '',
    pages: 0,
    continuations: [],
  };
  let continuation: SyncContinuation | null = null;
  for (;;) {
    beforePage?.(result.pages);
    const page = await syncer.fetchPage({
      accessToken,
      position: { ...start, continuation },
      now: new Date(clock.now()),
      initialWindowDays: 30,
    });
    result.pages += 1;
    result.upserts.push(...(page.upserts as CrmObjectRecord[]));
    result.deletes.push(...page.deletes);
    result.links.push(...(page.links ?? []));
    if (page.next.kind === 'caught_up') return { ...result, cursor: page.next.cursor };
    continuation = JSON.parse(JSON.stringify(page.next.continuation)) as SyncContinuation;
    result.continuations.push(continuation);
  }
}
