import { EntitySchema } from 'typeorm';
import type { SyncQuarantineRow } from '../types';

// The sync engine writes this table (packages/sync-engine records/quarantine); the schema serves reads and tests.
export const SyncQuarantineEntity = new EntitySchema<SyncQuarantineRow>({
  name: 'SyncQuarantine',
  tableName: 'sync_quarantine',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    connectionId: { name: 'connection_id', type: 'uuid' },
    resource: { type: 'text' },
    externalId: { name: 'external_id', type: 'text' },
    reason: { type: 'text' },
    attempts: { type: 'integer', default: 1 },
    firstSeenAt: { name: 'first_seen_at', type: 'timestamptz', createDate: true },
    lastSeenAt: { name: 'last_seen_at', type: 'timestamptz' },
  },
});
