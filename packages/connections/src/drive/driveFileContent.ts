import { ClassifiedProviderError, type DriveContent, type Provider } from '@crm-sync/core';
import type { BrokerDeps } from '../broker/types';
import { withFreshToken } from '../broker/withFreshToken';
import { providerRefusal, refused, type AttachmentContentOutcome } from '../attachments/attachmentContent';

export interface DriveFileContentRequest {
  tenantId: string;
  connectionId: string;
  fileId: string;
  /** The caller's Range header, passed on to Drive as it came. */
  range: string | undefined;
  signal: AbortSignal;
}

export type DriveRefusal =
  | Extract<AttachmentContentOutcome, { kind: 'refused' }>
  | {
      kind: 'refused';
      status: 416;
      code: string;
      detail: string;
      contentRange: string | null;
    };

export type DriveFileContentOutcome = Extract<DriveContent, { kind: 'content' }> | DriveRefusal;

/**
 * A selected Drive file's bytes, streamed from Drive now; nothing is stored (docs/drive.md#content). The file must
 * be a live row of the tenant's active connection: a file the user did not select (or that was trashed, or that the
 * app lost access to) is refused here, `not_selected`, before anything reaches Google. The token comes through the
 * one refresh path, refreshed once when Google refuses it, as attachment content does.
 */
export async function driveFileContent(
  deps: Pick<BrokerDeps, 'db' | 'adapters' | 'tokens'>,
  request: DriveFileContentRequest,
): Promise<DriveFileContentOutcome> {
  const [row] = (await deps.db.query(
    `SELECT c.provider, c.status, f.external_id IS NOT NULL AS selected
       FROM connections c
       LEFT JOIN drive_files f ON f.connection_id = c.id AND f.external_id = $3 AND f.deleted_at IS NULL
      WHERE c.id = $1 AND c.tenant_id = $2`,
    [request.connectionId, request.tenantId, request.fileId],
  )) as Array<{ provider: Provider; status: string; selected: boolean }>;
  if (!row) return refused(404, 'not_found', 'no such connection') as DriveRefusal;
  if (!row.selected)
    return refused(404, 'not_selected', 'the user did not select this file for the CRM') as DriveRefusal;
  if (row.status !== 'active')
    return refused(
      409,
      'connection_inactive',
      'the connection is not active; the user must reconnect',
    ) as DriveRefusal;
  const adapter = deps.adapters.get(row.provider);
  const reader = adapter?.driveContent;
  if (!adapter || !reader)
    return refused(409, 'provider_not_configured', 'this provider is not configured') as DriveRefusal;
  const read = (accessToken: string) =>
    reader.read({ accessToken, fileId: request.fileId, range: request.range, signal: request.signal });
  let content: DriveContent;
  try {
    content = await withFreshToken(deps.tokens, request.connectionId, adapter.oauth, read);
  } catch (error) {
    if (!(error instanceof ClassifiedProviderError)) throw error;
    return providerRefusal(error) as DriveRefusal;
  }
  if (content.kind === 'not_found')
    return refused(404, 'gone_at_provider', 'Drive no longer lets the app read this file') as DriveRefusal;
  if (content.kind === 'unsatisfiable')
    return {
      kind: 'refused',
      status: 416,
      code: 'range_not_satisfiable',
      detail: 'the range starts past the end of the file',
      contentRange: content.contentRange,
    };
  return content;
}
