import type { DriveFileWriter, ProviderAdapter } from '@crm-sync/core';
import { ClassifiedProviderError } from '@crm-sync/core';
import { withFreshToken } from '@crm-sync/connections';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';

export interface DriveConnection {
  adapter: ProviderAdapter;
  writer: DriveFileWriter;
  /** The connection's access token through the one refresh path. */
  accessToken(): Promise<string>;
  /** After Drive refused `refused` (401): a fresh token, refreshed once however many calls ask (single flight). */
  renewToken(refused: string): Promise<string>;
  /** `call` with the connection's token, once more with a fresh one if Drive refuses it (as the proxy does). */
  withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T>;
}

/**
 * The tenant's active connection whose provider can write to Drive, or the HTTP error that says why not. With
 * `fileId`, the file must also be one the user selected (a live `drive_files` row): anything else is refused here,
 * `not_selected`, before a call reaches Google.
 */
export async function driveConnection(
  ctx: AppContext,
  tenantId: string,
  connectionId: string,
  fileId?: string,
): Promise<DriveConnection> {
  const [row] = (await ctx.deps.db.query(
    `SELECT c.provider, c.status,
            EXISTS (SELECT 1 FROM drive_files f WHERE f.connection_id = c.id AND f.external_id = $3
                     AND f.deleted_at IS NULL) AS selected
       FROM connections c WHERE c.id = $1 AND c.tenant_id = $2`,
    [connectionId, tenantId, fileId ?? ''],
  )) as Array<{ provider: ProviderAdapter['id']; status: string; selected: boolean }>;
  if (!row) throw new HttpError(404, 'not_found', 'no such connection');
  if (fileId !== undefined && !row.selected)
    throw new HttpError(404, 'not_selected', 'the user did not select this file for the CRM');
  if (row.status !== 'active')
    throw new HttpError(409, 'connection_inactive', 'the connection is not active; the user must reconnect');
  const adapter = ctx.deps.adapters.get(row.provider);
  if (!adapter?.driveWriter)
    throw new HttpError(409, 'files_unsupported', 'this connection has no Drive access');
  return {
    adapter,
    writer: adapter.driveWriter,
    accessToken: async () => (await ctx.tokens.current(connectionId, adapter.oauth)).accessToken,
    renewToken: async (refused) =>
      (await ctx.tokens.current(connectionId, adapter.oauth, { force: true, refused })).accessToken,
    withToken: (call) => withFreshToken(ctx.tokens, connectionId, adapter.oauth, call),
  };
}

/** A Drive failure as the API's error (classifications hold codes only, never a token or a URL). */
export function driveHttpError(error: unknown): unknown {
  if (!(error instanceof ClassifiedProviderError)) return error;
  const { classification } = error;
  if (classification.kind === 'rate_limited')
    return new HttpError(429, 'provider_rate_limited', 'Drive asks to slow down');
  if (classification.kind === 'auth_revoked' || classification.kind === 'auth_expired')
    return new HttpError(
      409,
      'connection_inactive',
      'Drive refused the connection; the user may need to reconnect',
    );
  if (classification.kind === 'permanent')
    return new HttpError(409, 'files_unsupported', `Drive refused the call (${classification.reason})`);
  return new HttpError(502, 'provider_unavailable', 'Drive could not answer, retry later');
}
