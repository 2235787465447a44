import type { ProviderErrorClass, Resource } from '@crm-sync/core';
import type { SkipReason } from '../types';

export interface AuditRequest {
  connectionId: string;
  resource: Resource;
  /**
   * Most provider calls the id pass may make (the per-run share of the provider quota). A resource too big for it
   * is not audited: the run stops there and changes nothing.
   */
  maxCalls: number;
  /**
   * Asked before each provider call; false stops the run, which then changes nothing (a per-minute budget shared by
   * every audit of a provider, so audits never take the quota syncs need). Absent: no budget but `maxCalls`.
   */
  mayCall?: () => Promise<boolean>;
}

/** What the audit found and did: `missing` come back with the full round it asked for, `repaired` ghosts are gone. */
export interface AuditCounts {
  calls: number;
  listed: number;
  missing: number;
  ghosts: number;
  repaired: number;
}

export type AuditOutcome =
  | { kind: 'audited'; counts: AuditCounts }
  | { kind: 'skipped'; reason: SkipReason | 'no_id_pass' }
  /** Out of calls (`maxCalls`) or of the shared budget (`mayCall`) before the listing ended. */
  | { kind: 'over_budget'; calls: number }
  | { kind: 'failed'; error: ProviderErrorClass; calls: number };
