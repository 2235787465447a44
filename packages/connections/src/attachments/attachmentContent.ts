import { ClassifiedProviderError, type AttachmentContent, type Provider } from '@crm-sync/core';
import { openRow } from '@crm-sync/vault';
import { z } from 'zod';
import type { ConnectionsDeps } from '../deps';
import type { BrokerDeps } from '../broker/types';
import { withFreshToken } from '../broker/withFreshToken';

/** Which file: a tenant's connection, an email row of it, and an attachment row of that email. */
export interface AttachmentContentRequest {
  tenantId: string;
  connectionId: string;
  emailId: string;
  attachmentId: string;
  /** Files larger than this are refused (`too_large`), by the stored size before asking the provider. */
  maxBytes: number;
  signal: AbortSignal;
}

/** What the stored row says about the file, sent with its bytes. */
export interface AttachmentFile {
  name: string | null;
  contentType: string | null;
  size: number | null;
}

export type AttachmentContentOutcome =
  | {
      kind: 'content';
      file: AttachmentFile;
      body: ReadableStream<Uint8Array>;
      /** The body's exact length in bytes where the provider states it (for `Range`); the row's size is not. */
      length: number | null;
    }
  | {
      kind: 'refused';
      status: 404 | 409 | 413 | 429 | 502;
      code: string;
      detail: string;
      retryAfterMs?: number;
    };

export const refused = (
  status: 404 | 409 | 413 | 429 | 502,
  code: string,
  detail: string,
  retryAfterMs?: number,
): AttachmentContentOutcome => ({
  kind: 'refused',
  status,
  code,
  detail,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/** What an attachment row's sealed value holds (packages/db `SEALED_FIELDS.email_attachments`). */
const sealedAttachment = z.object({ name: z.string().nullable() }).loose();

/**
 * An attachment's bytes, read from the provider now and handed on as a stream; nothing is stored (issue 18). The
 * connection must belong to the tenant (another tenant's id is `not_found`, like an unknown one) and be active,
 * the email row live and the attachment row present. The token comes through the one refresh path; a token the
 * provider refuses is refreshed once (naming the refused one, so a refresh made meanwhile is reused).
 */
export async function attachmentContent(
  deps: Pick<BrokerDeps, 'db' | 'adapters' | 'tokens'> & Pick<ConnectionsDeps, 'content'>,
  request: AttachmentContentRequest,
): Promise<AttachmentContentOutcome> {
  const [row] = (await deps.db.query(
    `SELECT c.provider, c.status, a.name, a.sealed, a.content_type, a.size
       FROM connections c
       JOIN emails e ON e.connection_id = c.id AND e.external_id = $3 AND e.deleted_at IS NULL
       JOIN email_attachments a ON a.connection_id = c.id AND a.email_external_id = e.external_id
        AND a.attachment_id = $4
      WHERE c.id = $1 AND c.tenant_id = $2`,
    [request.connectionId, request.tenantId, request.emailId, request.attachmentId],
  )) as Array<{
    provider: Provider;
    status: string;
    name: string | null;
    sealed: Buffer | null;
    content_type: string | null;
    size: string | null;
  }>;
  if (!row) return refused(404, 'not_found', 'no such attachment');
  if (row.status !== 'active')
    return refused(409, 'connection_inactive', 'the connection is not active; the user must reconnect');
  const adapter = deps.adapters.get(row.provider);
  const reader = adapter?.attachments;
  if (!adapter || !reader) return refused(409, 'provider_not_configured', 'this provider is not configured');
  const file = {
    name: await fileName(deps, request, row),
    contentType: row.content_type,
    size: row.size === null ? null : Number(row.size),
  };
  if (file.size !== null && file.size > request.maxBytes)
    return refused(413, 'too_large', `the file is larger than ${request.maxBytes} bytes`);

  const read = (accessToken: string) =>
    reader.read({
      accessToken,
      messageId: request.emailId,
      attachmentId: request.attachmentId,
      maxBytes: request.maxBytes,
      signal: request.signal,
    });
  let content: AttachmentContent;
  try {
    content = await withFreshToken(deps.tokens, request.connectionId, adapter.oauth, read);
  } catch (error) {
    if (!(error instanceof ClassifiedProviderError)) throw error;
    return providerRefusal(error);
  }
  if (content.kind === 'not_found')
    return refused(404, 'gone_at_provider', 'the provider no longer has this file');
  if (content.kind === 'too_large')
    return refused(413, 'too_large', `the file is larger than ${request.maxBytes} bytes`);
  return { kind: 'content', file, body: content.body, length: content.size };
}

/** A provider failure as an answer; the classification holds codes only, never a token or a URL. */
export function providerRefusal(error: ClassifiedProviderError): AttachmentContentOutcome {
  const { classification } = error;
  if (classification.kind === 'rate_limited')
    return refused(
      429,
      'provider_rate_limited',
      'the provider asks to slow down',
      classification.retryAfterMs,
    );
  if (classification.kind === 'auth_revoked' || classification.kind === 'auth_expired')
    return refused(
      409,
      'connection_inactive',
      'the provider refused the connection; the user may need to reconnect',
    );
  return refused(502, 'provider_unavailable', 'the provider could not serve the file, retry later');
}

/**
 * The file's name: opened from the row's sealed value under the connection's data key (bound to this email and
 * attachment, docs/encryption-at-rest.md); a row written before sealing still has it in the plain column.
 */
async function fileName(
  deps: Pick<ConnectionsDeps, 'content'>,
  request: AttachmentContentRequest,
  row: { name: string | null; sealed: Buffer | null },
): Promise<string | null> {
  if (row.sealed === null) return row.name;
  const key = await deps.content.dataKeys.forRead(request.connectionId);
  const address = { table: 'email_attachments', rowKey: [request.emailId, request.attachmentId] };
  return sealedAttachment.parse(openRow(key, address, row.sealed)).name;
}
