import type {
  AuditEventType,
  CalendarEventRecord,
  ConnectionStatus,
  ContactRecord,
  TaskRecord,
  DriveFileRecord,
  CrmObjectRecord,
  EmailAttachmentRecord,
  EmailRecord,
  Provider,
  Resource,
  SyncMode,
} from '@crm-sync/core';

/**
 * A jsonb object. Values must be JSON-serialisable; the type stays loose because TypeORM's find-option
 * types recurse without bound over a recursive JSON type (TS2589 on every repository call).
 */
export type JsonObject = Record<string, unknown>;

/** Where a resource's sync stands; the scheduler and the sync engine move it between these. */
export const SYNC_STATUSES = ['idle', 'queued', 'running', 'failed', 'disabled'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export interface ConnectionRow {
  id: string;
  tenantId: string;
  crmUserId: string;
  provider: Provider;
  /** Null once the connection's user or tenant was deleted (the row stays as the audit's, without it). */
  providerAccountId: string | null;
  email: string | null;
  requestedScopes: string[];
  grantedScopes: string[];
  /** What the user asked to sync; granted scopes may cover less. */
  resources: Resource[];
  status: ConnectionStatus;
  statusReason: string | null;
  authenticatedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  disconnectedAt: Date | null;
  /** When it was disconnected or revoked: its retention period runs from here. */
  endedAt: Date | null;
  /** When its synced data was purged (by request or by the retention sweeper). */
  dataPurgedAt: Date | null;
}

export interface CredentialRow {
  connectionId: string;
  keyId: string;
  /** AES-256-GCM output written by the vault; opaque here. */
  sealed: Buffer;
  expiresAt: Date | null;
  /** Optimistic lock: a refresh writes only if the version it read is still current. */
  version: number;
  refreshedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SyncStateRow {
  connectionId: string;
  resource: Resource;
  enabled: boolean;
  mode: SyncMode;
  phase: string | null;
  cursor: string | null;
  continuation: JsonObject | null;
  status: SyncStatus;
  nextSyncAt: Date | null;
  itemsDone: number;
  counters: Record<string, number>;
  consecutiveFailures: number;
  /** Throttled attempts in a row with no delay named by the provider; reset by a committed page. */
  rateLimitStreak: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
  startedAt: Date | null;
  disabledReason: string | null;
  /** Bumped by the first page of each full round; rows that round lists carry it in `seen_round`. */
  roundGeneration: number;
  /** When a full round last completed. */
  fullRoundAt: Date | null;
  /** Pages the current round has committed so far. */
  roundPages: number;
  /** When the scheduler next enqueues a completeness audit; null: one audit interval after the last full round. */
  auditDueAt: Date | null;
  /** When the completeness audit last compared the provider's ids with the table's; null if never. */
  auditAt: Date | null;
  /** Ids the provider had and the table lacked, at that audit. */
  auditMissing: number | null;
  /** Live rows the provider no longer had, at that audit. */
  auditGhosts: number | null;
  /** Ghost rows that audit marked deleted plus missing items it stored itself. */
  auditRepaired: number | null;
  /** An audit found missing items: the next round between rounds is a full one, which lists them. */
  fullRoundWanted: boolean;
  /** When a round was last asked for (a provider notice, the CRM, a connect); see docs/push.md. */
  requestedAt: Date | null;
  /** When the current (or last) round's first fetch began: a request at or after it gets one follow-up round. */
  roundBeganAt: Date | null;
  /** A healthy push channel covers the resource until then: it is polled at the longer pushed interval. */
  pushUntil: Date | null;
  updatedAt: Date;
}

/** Columns every synced CRM table shares. `id` is a bigint, so pg hands it over as a string. */
export interface CrmRowBase {
  id: string;
  connectionId: string;
  externalId: string;
  contentHash: string;
  /** The generation of the last full round that listed the row (`sync_states.round_generation`). */
  seenRound: number | null;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The synced fields come from core's provider-neutral records, so the two cannot drift apart. */
export interface EmailRow extends CrmRowBase, Omit<EmailRecord, 'externalId' | 'attachments'> {}

/** A file of a message (`email_attachments`): metadata only, kept in step with its email row. */
export interface EmailAttachmentRow extends Omit<EmailAttachmentRecord, 'attachmentId'> {
  connectionId: string;
  emailExternalId: string;
  attachmentId: string;
}

export interface CalendarEventRow extends CrmRowBase, Omit<CalendarEventRecord, 'externalId' | 'attendees'> {
  /** Looser than the record's JsonValue[]: TypeORM's find options cannot take a recursive JSON type (TS2589). */
  attendees: JsonObject[];
}

export interface ContactRow extends CrmRowBase, Omit<ContactRecord, 'externalId'> {}

export interface TaskRow extends CrmRowBase, Omit<TaskRecord, 'externalId'> {}

/** A Drive file row: the name and owners live only in `sealed` (migration 1765000000190). */
export interface DriveFileRow
  extends CrmRowBase, Omit<DriveFileRecord, 'externalId' | 'name' | 'ownerEmails'> {
  sealed: Buffer | null;
  blindIndex: Buffer[];
}

export interface CrmObjectRow
  extends CrmRowBase, Omit<CrmObjectRecord, 'externalId' | 'properties' | 'addresses'> {
  properties: JsonObject;
}

/** An item the sync engine could not store even after making its values safe; it waits here, counted. */
export interface SyncQuarantineRow {
  id: string;
  connectionId: string;
  resource: Resource;
  externalId: string;
  /** The database's error code and class, never the item's content. */
  reason: string;
  attempts: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

export interface AuditEventRow {
  id: string;
  connectionId: string | null;
  tenantId: string;
  type: AuditEventType;
  actor: string;
  /** Never a secret: tokens, codes and keys stay out of the audit trail. */
  details: JsonObject;
  createdAt: Date;
}
