import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A random 32-byte key; tests never share key material across files. */
export function randomKey(): Buffer {
  return randomBytes(32);
}

/** Inserts a minimal connection row (credentials reference it) and returns its id. */
export async function insertConnection(dataSource: DataSource): Promise<string> {
  const rows = await dataSource.query<Array<{ id: string }>>(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
     VALUES ('tenant-1', 'user-1', 'google', $1) RETURNING id`,
    [randomUUID()],
  );
  return (rows[0] as { id: string }).id;
}
