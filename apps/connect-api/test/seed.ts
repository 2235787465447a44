import { seedSyncStates } from '@crm-sync/sync-states/testing';
import type { DataSource } from 'typeorm';

/** Inserts a connection and its sync states directly, for tests of the read and request routes. */
export async function seedConnection(
  db: DataSource,
  values: { tenantId: string; crmUserId?: string; provider?: string; status?: string; account?: string },
): Promise<string> {
  const [row] = await db.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, email, resources, status)
     VALUES ($1, $2, $3, $4, $5, '{mail,calendar}', $6) RETURNING id`,
    [
      values.tenantId,
      values.crmUserId ?? 'u1',
      values.provider ?? 'google',
      values.account ?? `acct-${Math.random().toString(36).slice(2)}`,
      'someone@example.com',
      values.status ?? 'active',
    ],
  );
  await seedSyncStates(db, [
    { connectionId: row.id, resource: 'mail' },
    { connectionId: row.id, resource: 'calendar', lastError: 'quota exceeded', lastErrorAt: new Date() },
  ]);
  return row.id as string;
}
