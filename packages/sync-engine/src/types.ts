import type { Provider, ProviderAdapter, Resource } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import type { ContentKeys } from '@crm-sync/vault';
import type { DataSource } from 'typeorm';
import type { ConnectionThrottle } from './throttle/connectionThrottle';
import type { AccessTokens } from './tokens/accessTokens';

/** Tunables of the engine; apps fill them from configuration (defaults live in packages/config), tests shrink them. */
export interface SyncEngineOptions {
  /** How long after a completed round the next incremental round is due. */
  incrementalIntervalMs: number;
  /**
   * The same while a healthy push channel covers the resource (`sync_states.push_until`): the poll is then only the
   * safety net for lost notices (docs/push.md). `incrementalIntervalMs` when absent.
   */
  pushedIntervalMs?: number;
  /**
   * Up to this fraction is added at random to that interval, as the scheduler does, so accounts connected together
   * drift apart instead of falling due in the same second forever.
   */
  intervalJitterRatio: number;
  /** How far back a first (full) sync of mail and calendar reaches. */
  initialWindowDays: number;
  /** Exponential backoff after transient failures: base * 2^(failures-1), capped, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** The provider refused a connection's grant (OAuth `invalid_grant` or the like). */
export interface RevokedGrant {
  connectionId: string;
  /** The resource whose sync found out; absent when a token refresh did. */
  resource?: Resource;
  /** Provider error code such as invalid_grant; never a token. */
  reason: string;
  now: Date;
}

/** A resource the engine stopped after a `permanent` failure; its `sync_states` row is already disabled. */
export interface DisabledResource {
  connectionId: string;
  tenantId: string;
  resource: Resource;
  reason: string;
}

/**
 * What the engine reports about a connection to the package that owns connections, credentials and the audit
 * trail. The engine decides *that* a grant is gone or a resource must stop (`policy/errorPolicy.ts`); the owner
 * decides what that means for the connection, so the engine never writes those tables itself and does not
 * depend on the package that does. The worker wires `connectionOutcomes` from @crm-sync/connections.
 */
export interface ConnectionOutcomes {
  /**
   * Runs the revocation pipeline: the connection needs re-auth, its credentials are deleted, every resource
   * stops, the audit trail records it and the CRM is told. Many slices may find out at once; only the call that
   * changed the connection returns true, the others do nothing and return false.
   */
  revoked(input: RevokedGrant): Promise<boolean>;
  /**
   * Records a disabled resource (audit `sync_failed`). Called inside the transaction that disabled it, with that
   * transaction's executor, so the record and the disable commit or roll back together.
   */
  resourceDisabled(db: SqlExecutor, input: DisabledResource): Promise<void>;
}

export interface SyncEngineDeps {
  db: DataSource;
  /** Only configured providers are present. */
  adapters: ReadonlyMap<Provider, ProviderAdapter>;
  tokens: AccessTokens;
  /** A provider's throttling of a connection, shared with the token broker's proxy (docs/token-broker.md). */
  throttle: ConnectionThrottle;
  outcomes: ConnectionOutcomes;
  /** The keys synced content is sealed with (docs/encryption-at-rest.md). */
  content: ContentKeys;
  options: SyncEngineOptions;
  now?: () => Date;
  /** In [0, 1); injectable so backoff jitter can be tested. */
  random?: () => number;
}

export interface SliceRequest {
  connectionId: string;
  resource: Resource;
  /** Wall-clock budget; the slice stops after the page that spends it (at least one page runs). */
  budgetMs: number;
}

/** What a slice did; counts cover this slice only. */
export interface SliceCounts {
  pages: number;
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Rows a completed full round did not list, marked deleted. */
  swept: number;
  /** Items stored with values made safe (a NUL, a lone surrogate, an invalid date, an absurd length). */
  sanitized: number;
  /** Items that could not be stored, set aside in sync_quarantine. */
  quarantined: number;
}

export const NO_COUNTS: Readonly<SliceCounts> = {
  pages: 0,
  added: 0,
  updated: 0,
  unchanged: 0,
  deleted: 0,
  swept: 0,
  sanitized: 0,
  quarantined: 0,
};

/** The counters a round adds up in `sync_states` and reports when it finishes. */
export const ROUND_COUNTERS = [
  'added',
  'updated',
  'unchanged',
  'deleted',
  'swept',
  'sanitized',
  'quarantined',
] as const;

/** A finished round, which may have spanned many slices: what the worker logs once per round. */
export interface RoundReport {
  mode: 'full' | 'incremental';
  counts: Record<(typeof ROUND_COUNTERS)[number], number>;
  pages: number;
  /** From the round's first page to its last. */
  durationMs: number;
}

export type SkipReason =
  'connection_missing' | 'connection_inactive' | 'state_missing' | 'disabled' | 'no_syncer' | 'superseded';

/**
 * Expected results of a slice. The worker maps each onto a BullMQ action: `more` re-queues the continuation at
 * the back of the queue, `rate_limited` delays without a failed attempt, `transient` retries with backoff, the
 * rest complete the job.
 */
export type SliceOutcome =
  | {
      kind: 'caught_up';
      counts: SliceCounts;
      round: RoundReport;
      /**
       * A round was asked for (a provider notice, the CRM) after this one's first fetch began: one follow-up
       * round must run now, for however many requests came (docs/push.md).
       */
      followUp: boolean;
    }
  | { kind: 'more'; counts: SliceCounts }
  | { kind: 'skipped'; reason: SkipReason; counts: SliceCounts }
  | { kind: 'rate_limited'; retryAfterMs: number; counts: SliceCounts }
  | { kind: 'transient'; reason: string; retryAt: Date; counts: SliceCounts }
  | { kind: 'auth_revoked'; counts: SliceCounts }
  | { kind: 'disabled'; reason: string; counts: SliceCounts };

export type SliceOutcomeKind = SliceOutcome['kind'];
