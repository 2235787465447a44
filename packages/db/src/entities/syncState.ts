import { EntitySchema } from 'typeorm';
import type { SyncStateRow } from '../types';
import { bigintAsNumber } from './transformers';

export const SyncStateEntity = new EntitySchema<SyncStateRow>({
  name: 'SyncState',
  tableName: 'sync_states',
  columns: {
    connectionId: { name: 'connection_id', type: 'uuid', primary: true },
    resource: { type: 'text', primary: true },
    enabled: { type: 'boolean', default: true },
    mode: { type: 'text', default: 'full' },
    phase: { type: 'text', nullable: true },
    cursor: { type: 'text', nullable: true },
    continuation: { type: 'jsonb', nullable: true },
    status: { type: 'text', default: 'idle' },
    nextSyncAt: { name: 'next_sync_at', type: 'timestamptz', nullable: true },
    itemsDone: { name: 'items_done', type: 'bigint', default: 0, transformer: bigintAsNumber },
    counters: { type: 'jsonb', default: () => "'{}'" },
    consecutiveFailures: { name: 'consecutive_failures', type: 'integer', default: 0 },
    rateLimitStreak: { name: 'rate_limit_streak', type: 'integer', default: 0 },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    lastErrorAt: { name: 'last_error_at', type: 'timestamptz', nullable: true },
    lastSuccessAt: { name: 'last_success_at', type: 'timestamptz', nullable: true },
    startedAt: { name: 'started_at', type: 'timestamptz', nullable: true },
    disabledReason: { name: 'disabled_reason', type: 'text', nullable: true },
    roundGeneration: {
      name: 'round_generation',
      type: 'bigint',
      default: 0,
      transformer: bigintAsNumber,
    },
    fullRoundAt: { name: 'full_round_at', type: 'timestamptz', nullable: true },
    roundPages: { name: 'round_pages', type: 'integer', default: 0 },
    auditDueAt: { name: 'audit_due_at', type: 'timestamptz', nullable: true },
    auditAt: { name: 'audit_at', type: 'timestamptz', nullable: true },
    auditMissing: { name: 'audit_missing', type: 'integer', nullable: true },
    auditGhosts: { name: 'audit_ghosts', type: 'integer', nullable: true },
    auditRepaired: { name: 'audit_repaired', type: 'integer', nullable: true },
    fullRoundWanted: { name: 'full_round_wanted', type: 'boolean', default: false },
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
  },
});
