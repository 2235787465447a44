import type { Provider, ProviderErrorClass, Resource } from '@crm-sync/core';
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
   * Awaited before each provider call: waits until the provider's shared audit budget allows one more
   * (`AuditCallBudget`), so audits never take the quota syncs need. Absent: no budget but `maxCalls`.
   */
  throttle?: (provider: Provider) => Promise<void>;
}

/** What the audit found and did; `repaired`: ghosts marked deleted plus missing items it stored itself. */
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
  /** Out of calls (`maxCalls`) before the listing ended. */
  | { kind: 'over_budget'; calls: number }
  | { kind: 'failed'; error: ProviderErrorClass; calls: number };
