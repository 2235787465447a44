// Email-shaped rows and the plain `pg` INSERT that bench/upsert.ts measures the upsert helper against. Shared so
// bench/sync.ts measures its upsert ceiling with exactly the rows and statements bench:upsert uses.
import type { EmailRecord } from '@crm-sync/core';
import type { EmailInput } from '@crm-sync/db';
import { seededRandom } from '@crm-sync/provider-sandbox';
import { messageTerms, type PageSealer } from '@crm-sync/sync-engine';
import type { ContentKeys } from '@crm-sync/vault';
import type { Client } from 'pg';

/** A row before sealing: a synced email with the engine's stamp, as the raw ceiling writes it in the clear. */
export type PlainEmail = EmailRecord & { connectionId: string; contentHash: string; seenRound: number };

/**
 * Row i of a data set of `size` rows, the same on every call for the same seed: pages are built on demand, so RSS
 * is the writers', not the data's.
 */
export function emailRows(seed: number, size: number): (connectionId: string, i: number) => PlainEmail {
  return (connectionId, i) => {
    // The sandbox's seeded generator, so a run is repeatable.
    const random = seededRandom(seed * 1_000_003 + i);
    const pick = (n: number) => Math.floor(random() * n);
    const word = () => Math.floor(random() * 2 ** 32).toString(36);
    const words = (n: number) => Array.from({ length: n }, word).join(' ');
    const address = () => `${word()}@${word()}.example.com`;
    return {
      connectionId,
      externalId: `msg-${i.toString(16).padStart(8, '0')}`,
      contentHash: `${word()}${word()}${word()}`,
      seenRound: 1,
      threadId: `thr-${pick(size / 4 + 1)}`,
      fromAddress: address(),
      toAddresses: Array.from({ length: 1 + pick(3) }, address),
      ccAddresses: Array.from({ length: pick(3) }, address),
      subject: words(4 + pick(8)),
      sentAt: new Date(Date.UTC(2026, 0, 1) + pick(300 * 86_400_000)),
      labels: ['INBOX', 'IMPORTANT', 'CATEGORY_UPDATES', 'STARRED'].slice(0, 1 + pick(4)),
      snippet: words(15 + pick(20)),
      bccAddresses: [],
      bodyText: words(60 + pick(200)),
      bodyHtml: null,
      uniqueBody: null,
      bodyTruncated: false,
      messageId: `<${word()}@${word()}.example.com>`,
      inReplyTo: null,
      references: [],
      direction: 'received',
      attachments: [],
    };
  };
}

/**
 * A page sealed the way the sync engine's writePage seals it (records/sealing.ts): content under the connection's
 * data key, blind index terms of its addresses, the keyed content hash. This is the cost sealing adds to a write.
 */
export function sealEmails(
  sealer: PageSealer,
  page: readonly PlainEmail[],
  /** The threading ids' terms are keyed per tenant (records/messageTerms.ts). */
  owner: { keys: ContentKeys; tenantId: string },
): EmailInput[] {
  return page.map((row) => {
    const { plain, sealed } = sealer.seal('emails', [row.externalId], row);
    return {
      ...(plain as Omit<EmailInput, 'sealed' | 'blindIndex'>),
      contentHash: sealer.contentHash(row),
      sealed,
      blindIndex: sealer.termsOf('emails', row),
      messageTerms: messageTerms(owner.keys.indexKeys, owner.tenantId, row),
    };
  });
}

export const EMAIL_COLUMNS = [
  'connection_id',
  'external_id',
  'content_hash',
  'seen_round',
  'thread_id',
  'from_address',
  'to_addresses',
  'cc_addresses',
  'subject',
  'sent_at',
  'labels',
  'snippet',
  'bcc_addresses',
  'body_text',
  'body_html',
  'unique_body',
  'body_truncated',
  'message_id',
  'in_reply_to',
  'reference_ids',
  'direction',
] as const;

export const emailValues = (r: PlainEmail) => [
  r.connectionId,
  r.externalId,
  r.contentHash,
  r.seenRound,
  r.threadId,
  r.fromAddress,
  r.toAddresses,
  r.ccAddresses,
  r.subject,
  r.sentAt,
  r.labels,
  r.snippet,
  r.bccAddresses,
  r.bodyText,
  r.bodyHtml,
  r.uniqueBody,
  r.bodyTruncated,
  r.messageId,
  r.inReplyTo,
  r.references,
  r.direction,
];

export const placeholders = (rows: number) =>
  Array.from(
    { length: rows },
    (_, r) => `(${EMAIL_COLUMNS.map((_, c) => `$${r * EMAIL_COLUMNS.length + c + 1}`).join(', ')})`,
  ).join(', ');

/** The ceiling: what `pg` alone does with one multi-row INSERT per page. */
export function rawInsert(client: Client, page: PlainEmail[]): Promise<unknown> {
  return client.query(
    `INSERT INTO emails (${EMAIL_COLUMNS.join(', ')}) VALUES ${placeholders(page.length)}`,
    page.flatMap(emailValues),
  );
}
