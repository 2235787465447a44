import { EntitySchema } from 'typeorm';
import type { AuditEventRow } from '../types';

export const AuditEventEntity = new EntitySchema<AuditEventRow>({
  name: 'AuditEvent',
  tableName: 'audit_events',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    connectionId: { name: 'connection_id', type: 'uuid', nullable: true },
    tenantId: { name: 'tenant_id', type: 'text' },
    type: { type: 'text' },
    actor: { type: 'text' },
    details: { type: 'jsonb', default: () => "'{}'" },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
});
