import type { ConnectionStatus, Provider, Resource, SyncPosition } from '@crm-sync/core';

/** The connection a slice runs for, read together with its state. */
export interface SliceConnection {
  id: string;
  tenantId: string;
  provider: Provider;
  status: ConnectionStatus;
}

/** What a slice needs from a resource's `sync_states` row. */
export interface SliceState {
  enabled: boolean;
  position: SyncPosition;
  consecutiveFailures: number;
  /** The generation of the current (or last) full round; the first page of the next one writes this + 1. */
  roundGeneration: number;
  /** When a full round last completed; null if none has since the column exists. */
  fullRoundAt: Date | null;
  /** A completeness audit found items the table lacks: the next round between rounds is a full one. */
  fullRoundWanted: boolean;
}

/** What one completeness audit of a resource found and did. */
export interface AuditRecord {
  connectionId: string;
  resource: Resource;
  /** When its provider listing began. */
  at: Date;
  /** Ids the provider listed that the table lacks. */
  missing: number;
  /** Live rows inside the listed window that the provider did not list. */
  ghosts: number;
  /** Ghost rows the audit marked deleted plus missing items it stored itself. */
  repaired: number;
}

/**
 * Items a page added, updated, left unchanged and deleted; they add up into the round's counters. The rarer ones
 * (rows a full round swept, values made safe, items quarantined) are kept in the counters only once non-zero.
 */
export interface RoundCounts {
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  swept?: number;
  sanitized?: number;
  quarantined?: number;
}

/** A finished round as the round's log line reports it. */
export interface RoundSummary {
  counters: Record<string, number>;
  pages: number;
  startedAt: Date | null;
}

export interface PageAdvance {
  connectionId: string;
  resource: Resource;
  /** The position the page was fetched from; the write only applies if the row still holds it. */
  from: SyncPosition;
  to: SyncPosition;
  counts: RoundCounts;
  items: number;
  /** The page began a round (no continuation): counters and items_done restart from this page. */
  roundStart: boolean;
  /** The round's generation: a full round's first page brings the stored one + 1, other pages the stored one. */
  generation: number;
  /**
   * Set when the page finished the round: when the next round is due, and when if a healthy push channel covers
   * the resource (`push_until` ahead; the poll is then only a safety net).
   */
  caughtUp: { nextSyncAt: Date; pushedNextSyncAt: Date } | null;
  now: Date;
}

/** A resource a (re)connect asks for: enabled, or disabled with the reason (such as missing scopes). */
export interface RequestedResource {
  resource: Resource;
  disabledReason: string | null;
}

/** A due sync claimed by the scheduler, with the provider that picks its queue. */
export interface DueSync {
  connectionId: string;
  resource: Resource;
  provider: Provider;
}

/** When a claimed sync is due next, counted from the claim. */
export interface NextDue {
  connectionId: string;
  resource: Resource;
  delayMs: number;
  /** The delay while a healthy push channel covers the resource; `delayMs` when absent. */
  pushedDelayMs?: number;
}

/** A page's position write went through; `followUp`: it finished a round that a request came in during. */
export interface PageAdvanced {
  followUp: boolean;
}

export interface TriggerNowInput {
  connectionId: string;
  /** All enabled resources when absent. */
  resources?: Resource[];
  /** Drop the cursors and start over with a full sync. */
  full: boolean;
}
