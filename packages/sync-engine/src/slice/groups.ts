import type { SyncPage, SyncPosition } from '@crm-sync/core';

// The pages a slice writes in one transaction (SliceRun's groups), and a group gathered ahead of its commit.

/** A page fetch that has settled, success or failure, so it can wait unobserved while another page commits. */
export type Fetched = FetchedPage | { ok: false; error: unknown };
export type FetchedPage = { ok: true; page: SyncPage; tookMs: number };

/** Consecutive pages for one transaction, and the failure that ended the gathering early, if one did. */
export interface Group {
  pages: FetchedPage[];
  failure?: { position: SyncPosition; error: unknown };
}

/** A group being gathered ahead from `position`; `stop` keeps it from fetching further pages. */
export interface Prefetched {
  position: SyncPosition;
  group: Promise<Group>;
  stop: () => void;
}

/**
 * Items written per transaction when pages are small (Graph and HubSpot send 100): consecutive pages are merged so
 * each transaction and position update carries about as much as one bulk upsert handles well.
 */
export const GROUP_RECORDS = 500;

/** A group that is known already: the failure that ended the one before it, waiting for its turn. */
export function settledGroup(group: Group & { failure: NonNullable<Group['failure']> }): Prefetched {
  return { position: group.failure.position, group: Promise.resolve(group), stop: () => undefined };
}
