import { disconnectConnection, type DisconnectDeps } from './disconnect';

/**
 * A CRM user was deleted: every connection they made is disconnected and purged, and the provider e-mail address
 * is removed from the connection rows that remain as the log.
 */
export async function deleteUserData(
  deps: DisconnectDeps,
  input: { tenantId: string; crmUserId: string; actor: string },
): Promise<{ connections: number }> {
  const rows: Array<{ id: string }> = await deps.db.query(
    `SELECT id FROM connections WHERE tenant_id = $1 AND crm_user_id = $2`,
    [input.tenantId, input.crmUserId],
  );
  for (const { id } of rows) {
    await disconnectConnection(deps, {
      connectionId: id,
      tenantId: input.tenantId,
      purge: true,
      actor: input.actor,
    });
  }
  await deps.db.query(`UPDATE connections SET email = NULL WHERE tenant_id = $1 AND crm_user_id = $2`, [
    input.tenantId,
    input.crmUserId,
  ]);
  return { connections: rows.length };
}
