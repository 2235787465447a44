import type { DataSource } from 'typeorm';

/** A tenant's retention period for the data of ended connections; 0 (the default) purges at once. */
export async function retentionDays(db: DataSource, tenantId: string): Promise<number> {
  const [row] = (await db.query(`SELECT retention_days FROM tenant_settings WHERE tenant_id = $1`, [
    tenantId,
  ])) as Array<{ retention_days: number }>;
  return row?.retention_days ?? 0;
}

export async function setRetentionDays(db: DataSource, tenantId: string, days: number): Promise<void> {
  await db.query(
    `INSERT INTO tenant_settings (tenant_id, retention_days) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET retention_days = EXCLUDED.retention_days, updated_at = now()`,
    [tenantId, days],
  );
}
