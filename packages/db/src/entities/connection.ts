import { EntitySchema } from 'typeorm';
import type { ConnectionRow } from '../types';

// Schemas describe what the migrations create, so repositories can read and write rows; the migrations,
// not these definitions, are the source of truth for constraints and indexes (synchronize is always off).
export const ConnectionEntity = new EntitySchema<ConnectionRow>({
  name: 'Connection',
  tableName: 'connections',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    tenantId: { name: 'tenant_id', type: 'text' },
    crmUserId: { name: 'crm_user_id', type: 'text' },
    provider: { type: 'text' },
    providerAccountId: { name: 'provider_account_id', type: 'text', nullable: true },
    email: { type: 'text', nullable: true },
    requestedScopes: { name: 'requested_scopes', type: 'text', array: true, default: () => "'{}'" },
    grantedScopes: { name: 'granted_scopes', type: 'text', array: true, default: () => "'{}'" },
    resources: { type: 'text', array: true, default: () => "'{}'" },
    status: { type: 'text', default: 'active' },
    statusReason: { name: 'status_reason', type: 'text', nullable: true },
    authenticatedAt: { name: 'authenticated_at', type: 'timestamptz', default: () => 'now()' },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
    disconnectedAt: { name: 'disconnected_at', type: 'timestamptz', nullable: true },
    endedAt: { name: 'ended_at', type: 'timestamptz', nullable: true },
    dataPurgedAt: { name: 'data_purged_at', type: 'timestamptz', nullable: true },
  },
});
