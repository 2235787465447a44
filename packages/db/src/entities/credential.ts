import { EntitySchema } from 'typeorm';
import type { CredentialRow } from '../types';

export const CredentialEntity = new EntitySchema<CredentialRow>({
  name: 'Credential',
  tableName: 'credentials',
  columns: {
    connectionId: { name: 'connection_id', type: 'uuid', primary: true },
    keyId: { name: 'key_id', type: 'text' },
    sealed: { type: 'bytea' },
    expiresAt: { name: 'expires_at', type: 'timestamptz', nullable: true },
    // Deliberately not TypeORM's `version: true`: the vault compares and bumps it in one UPDATE ... WHERE.
    version: { type: 'integer', default: 1 },
    refreshedAt: { name: 'refreshed_at', type: 'timestamptz', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
  },
});
