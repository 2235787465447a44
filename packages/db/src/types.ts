import type { AuditEventType, ConnectionStatus, Provider, Resource, SyncMode } from '@crm-sync/core';

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
  providerAccountId: string;
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
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
  startedAt: Date | null;
  disabledReason: string | null;
  updatedAt: Date;
}

/** Columns every synced CRM table shares. `id` is a bigint, so pg hands it over as a string. */
export interface CrmRowBase {
  id: string;
  connectionId: string;
  externalId: string;
  contentHash: string;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EmailRow extends CrmRowBase {
  threadId: string | null;
  fromAddress: string | null;
  toAddresses: string[];
  ccAddresses: string[];
  subject: string | null;
  sentAt: Date | null;
  labels: string[];
  snippet: string | null;
}

export interface CalendarEventRow extends CrmRowBase {
  calendarId: string | null;
  title: string | null;
  description: string | null;
  location: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  allDay: boolean;
  eventStatus: string | null;
  organizer: string | null;
  attendees: JsonObject[];
}

export interface ContactRow extends CrmRowBase {
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  emails: string[];
  phones: string[];
  company: string | null;
  jobTitle: string | null;
}

export interface CrmObjectRow extends CrmRowBase {
  objectType: string;
  properties: JsonObject;
  remoteUpdatedAt: Date | null;
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
