import type { EmailAttachmentRecord, EmailDirection, EmailRecord } from '@crm-sync/core';
import { type Client } from '@microsoft/microsoft-graph-client';
import type { Attachment, Message } from '@microsoft/microsoft-graph-types';
import { batchFailure, type BatchedAnswer, batchGet } from './batch';

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

const ATTACHMENT_FIELDS = 'id,name,contentType,size,isInline';

/**
 * The attachment rows of the records whose messages have files, listed through `$batch` (batch.ts). The `$select`
 * keeps the content out; `contentId` cannot be selected on the collection (Graph refuses it on the base type), so
 * it stays null here. A message gone since the delta page listed it has no files (the next round reports the
 * deletion); any other failure of one listing fails the page, classified like a request of its own.
 */
export async function withAttachments(
  client: Client,
  preferHeader: string,
  records: readonly EmailRecord[],
  withFiles: ReadonlySet<string>,
): Promise<EmailRecord[]> {
  const wanted = records.filter((record) => withFiles.has(record.externalId)).map((r) => r.externalId);
  const answers = await batchGet(
    client,
    preferHeader,
    wanted.map((id) => `/me/messages/${encodeURIComponent(id)}/attachments?$select=${ATTACHMENT_FIELDS}`),
  );
  const files = new Map(wanted.map((id, index) => [id, attachmentsIn(answers[index])]));
  return records.map((record) =>
    files.has(record.externalId) ? { ...record, attachments: files.get(record.externalId)! } : record,
  );
}

/** One listing's answer inside a batch: its rows, none for a 404, else the failure as the client would throw it. */
function attachmentsIn(response: BatchedAnswer | undefined): EmailAttachmentRecord[] {
  if (response?.status === 404) return [];
  if (response?.status !== 200) throw batchFailure(response, 'attachment listing');
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
