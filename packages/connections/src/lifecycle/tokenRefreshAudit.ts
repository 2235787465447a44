import type { DataSource } from 'typeorm';
import { writeAudit } from '../audit';

/** A stored token refresh as the token holders (the sync engine's AccessTokens) report it; never a token. */
export interface TokenRefreshFacts {
  connectionId: string;
  rotated: boolean;
  expiresAt: Date | null;
  scopes: string[];
}

/**
 * The hook that puts every token refresh in the connection log (`token_refreshed`, issue 20): whether the refresh
 * token rotated, the new expiry and the scopes. The worker and connect-api pass it as AccessTokens' `onRefreshed`.
 */
export function tokenRefreshAudit(db: DataSource): (refresh: TokenRefreshFacts) => Promise<void> {
  return async (refresh) => {
    const [row] = (await db.query(`SELECT tenant_id FROM connections WHERE id = $1`, [
      refresh.connectionId,
    ])) as Array<{ tenant_id: string }>;
    if (!row) return; // deleted meanwhile: nothing to log against
    await writeAudit(db.manager, {
      connectionId: refresh.connectionId,
      tenantId: row.tenant_id,
      type: 'token_refreshed',
      actor: 'system',
      details: {
        rotated: refresh.rotated,
        expiresAt: refresh.expiresAt?.toISOString() ?? null,
        scopes: refresh.scopes,
      },
    });
  };
}
