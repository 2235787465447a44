import type { EmailRecord } from '@crm-sync/core';
import type { IndexKeys } from '@crm-sync/vault';

/**
 * Blind index terms of a message's RFC 5322 threading ids (Message-ID, In-Reply-To, References), which are sealed
 * (docs/encryption-at-rest.md): "the replies to this message" is `message_terms && lookupTerms('message-id', tenant,
 * id)`. Ids are compared exactly as sent, angle brackets included (RFC 5322 §3.6.4 makes them opaque), keyed per
 * tenant like address terms.
 */
export function messageTerms(
  keys: IndexKeys,
  tenantId: string,
  record: Pick<EmailRecord, 'messageId' | 'inReplyTo' | 'references'>,
): Buffer[] {
  const ids = new Set(
    [record.messageId, record.inReplyTo, ...record.references].filter((id) => !!id) as string[],
  );
  return [...ids].map((id) => keys.term('message-id', tenantId, id));
}
