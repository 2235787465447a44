import type { EmailAttachmentRecord, EmailDirection, EmailRecord } from '@crm-sync/core';
import { type Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { Attachment, Message } from '@microsoft/microsoft-graph-types';

/**
 * Graph's mail content beyond the delta item: threading headers, attachment rows and direction
 * (docs/providers/microsoft.md#message-content).
 */

/** `msg-id`s of a header value (RFC 5322 §3.6.4), in order. */
const messageIds = (value: string | undefined) => (value ? (value.match(/<[^<>\s]+>/g) ?? []) : []);

/** In-Reply-To and References from `internetMessageHeaders` (returned on `$select` only). */
export function threadingOf(message: Message): Pick<EmailRecord, 'inReplyTo' | 'references'> {
  const header = (name: string) =>
    message.internetMessageHeaders?.find((h) => h.name?.toLowerCase() === name)?.value ?? undefined;
  return {
    inReplyTo: messageIds(header('in-reply-to'))[0] ?? null,
    references: messageIds(header('references')),
  };
}

/**
 * Whether a message has files to list: `hasAttachments` leaves inline files out, which show in the HTML body as
 * `cid:` references (the message resource's own advice), so a body that names one is listed too.
 */
export function hasFiles(message: Message): boolean {
  return message.hasAttachments === true || (message.body?.content ?? '').includes('cid:');
}

/** The mailbox owner's addresses, lower-cased: mail sent from one of them was sent by the account. */
export async function ownerAddresses(client: Client): Promise<ReadonlySet<string>> {
  const me = (await client.api('/me').select(['mail', 'userPrincipalName']).get()) as {
    mail?: string | null;
    userPrincipalName?: string | null;
  };
  return new Set([me.mail, me.userPrincipalName].filter((a): a is string => !!a).map((a) => a.toLowerCase()));
}

export function directionOf(fromAddress: string | null, owner: ReadonlySet<string>): EmailDirection {
  return fromAddress !== null && owner.has(fromAddress.toLowerCase()) ? 'sent' : 'received';
}

/**
 * Graph's JSON batching takes up to 20 requests in one call (https://learn.microsoft.com/graph/json-batching); it
 * hands Outlook at most four of them at once (docs/providers/microsoft.md#json-batching), so one batch at a time
 * stays within Outlook's four concurrent requests per mailbox.
 */
const BATCH_SIZE = 20;

const ATTACHMENT_FIELDS = 'id,name,contentType,size,isInline';

interface BatchAnswer {
  responses?: Array<{ id?: string; status?: number; headers?: Record<string, string>; body?: unknown }>;
}

/**
 * The attachment rows of the records whose messages have files, listed through `$batch`, twenty messages a call.
 * The `$select` keeps the content out; `contentId` cannot be selected on the collection (Graph refuses it on the
 * base type), so it stays null here. A message gone since the delta page listed it has no files (the next round
 * reports the deletion); any other failure of one listing fails the page, classified like a request of its own.
 */
export async function withAttachments(
  client: Client,
  preferHeader: string,
  records: readonly EmailRecord[],
  withFiles: ReadonlySet<string>,
): Promise<EmailRecord[]> {
  const wanted = records.filter((record) => withFiles.has(record.externalId)).map((r) => r.externalId);
  const files = new Map<string, EmailAttachmentRecord[]>();
  for (let start = 0; start < wanted.length; start += BATCH_SIZE) {
    const ids = wanted.slice(start, start + BATCH_SIZE);
    const requests = ids.map((messageId, index) => ({
      id: String(index),
      method: 'GET',
      url: `/me/messages/${encodeURIComponent(messageId)}/attachments?$select=${ATTACHMENT_FIELDS}`,
      headers: { Prefer: preferHeader },
    }));
    const answer = (await client.api('/$batch').post({ requests })) as BatchAnswer;
    const byId = new Map((answer.responses ?? []).map((r) => [r.id, r]));
    ids.forEach((messageId, index) => files.set(messageId, attachmentsIn(byId.get(String(index)))));
  }
  return records.map((record) =>
    files.has(record.externalId) ? { ...record, attachments: files.get(record.externalId)! } : record,
  );
}

/** One listing's answer inside a batch: its rows, none for a 404, else the failure as the client would throw it. */
function attachmentsIn(
  response: NonNullable<BatchAnswer['responses']>[number] | undefined,
): EmailAttachmentRecord[] {
  if (response?.status === 404) return [];
  if (response?.status !== 200) throw batchFailure(response);
  const value = (response.body as { value?: Attachment[] } | undefined)?.value ?? [];
  return value
    .filter((a): a is Attachment & { id: string } => typeof a.id === 'string' && a.id !== '')
    .map((a) => ({
      attachmentId: a.id,
      name: a.name ?? null,
      contentType: a.contentType ?? null,
      size: typeof a.size === 'number' ? a.size : null,
      isInline: a.isInline === true,
      contentId: null,
    }));
}

/** A failed request of a batch as the GraphError a lone request would have thrown, for the adapter's classifier. */
function batchFailure(response: NonNullable<BatchAnswer['responses']>[number] | undefined): GraphError {
  const status = response?.status ?? 500;
  const error = new GraphError(status, `batched attachment listing answered ${status}`);
  const code = (response?.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  error.code = typeof code === 'string' ? code : null;
  error.headers = new Headers(response?.headers ?? {});
  return error;
}
