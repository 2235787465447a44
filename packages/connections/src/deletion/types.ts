import type { DataSource, EntityManager } from 'typeorm';
import type { KeyObject } from 'node:crypto';
import type { JobProducer } from '@crm-sync/queue';
import type { DataKeys } from '@crm-sync/vault';
import type { DisconnectDeps } from '../lifecycle';
import type { RevokeResult } from '../revokeGrant';

/** The purge's steps, in order; the one a request is at is persisted, so a restarted purge resumes there. */
export const DELETION_STEPS = [
  'collect',
  'unreadable',
  'revoke',
  'jobs',
  'data',
  'sync_states',
  'erase',
  'receipt',
  'done',
] as const;
export type DeletionStep = (typeof DELETION_STEPS)[number];

export type DeletionStatus = 'pending' | 'running' | 'completed';

/** What a purge has done so far; committed with each batch it counts. */
export interface DeletionProgress {
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** What the provider answered when asked to revoke each connection's grant. */
  revocations: Record<string, RevokeResult | 'no_credentials'>;
  /** Queued jobs removed from Redis for the connections. */
  jobsRemoved: number;
}

export interface DeletionRequestRow {
  id: string;
  tenantId: string;
  crmUserId: string | null;
  requestedBy: string;
  status: DeletionStatus;
  step: DeletionStep;
  connectionIds: string[];
  progress: DeletionProgress;
  unreadableAt: Date | null;
  requestedAt: Date;
  completedAt: Date | null;
  receipt: string | null;
}

/** The server's receipt signing keys (Ed25519) and the issuer named in every receipt. */
export interface ReceiptSigning {
  issuer: string;
  activeKeyId: string;
  keys: Readonly<Record<string, KeyObject>>;
}

/**
 * Makes the connections' data unreadable before it is deleted (crypto-shredding: their data keys destroyed, in the
 * manager's transaction). `shredDataKeys` is the one the apps use.
 */
export type ShredConnections = (manager: EntityManager, connectionIds: string[]) => Promise<void>;

/** Shredding by the vault's data keys (docs/encryption-at-rest.md#shredding). */
export function shredDataKeys(dataKeys: Pick<DataKeys, 'shred'>): ShredConnections {
  return async (manager, connectionIds) => {
    await dataKeys.shred(manager, connectionIds);
  };
}

export interface DeletionDeps extends DisconnectDeps {
  db: DataSource;
  /** Removes the connections' queued jobs. */
  producer: JobProducer;
  signing: ReceiptSigning;
  /** Rows a purge deletes per statement, each batch committed with its progress. */
  purgeBatchSize: number;
  shred: ShredConnections;
}
