import { type EmailRecord, type SetAsideItem } from '@crm-sync/core';
import { GaxiosError } from 'gaxios';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail';
import { type MailBodyOptions } from '../../shared/mailBody';
import { parseRetryAfter } from '../../shared/retryAfter';
import { GOOGLE_DESCRIPTOR } from '../descriptor';
import { classifyGoogleError } from '../errors';
import { GOOGLE_FIELDS } from '../fields';
import { mapRawMessage } from '../mailMessage';
import { mapBounded } from '../../shared/bounded';
import { QuotaGate, type Throttling } from './quotaGate';

/**
 * Messages outside what a full round lists (`includeSpamTrash` is off): a message moved to Trash or Spam leaves the
 * CRM's view as a deletion, and comes back as an upsert when it is moved out again (labelRemoved).
 */
const HIDDEN_LABELS = ['TRASH', 'SPAM'];

export interface FetchedMessages {
  upserts: EmailRecord[];
  deletes: string[];
  setAside?: SetAsideItem[];
}

/** A message fetched but not readable: set aside. */
const UNREADABLE = Symbol('unreadable');

/**
 * Gets each id as its raw RFC 5322 text and maps it, at most `concurrency` at once, in the order given (so a full
 * round's newest-first listing stays newest first). Each message is parsed as soon as it arrives, so a page holds
 * records, not raw texts. An id listed but gone by the time it is fetched (404) is a deletion, not a failure:
 * messages are deleted while a round pages.
 */
export async function fetchMessages(
  gmail: gmail_v1.Gmail,
  ids: readonly string[],
  options: { concurrency: number; body: MailBodyOptions },
): Promise<FetchedMessages> {
  const gate = new QuotaGate(GOOGLE_DESCRIPTOR.gmailQuota);
  const fetched = await mapBounded(ids, options.concurrency, async (id) => {
    const message = await gate.run(() => getMessage(gmail, id), throttling);
    const hidden = message?.labelIds?.some((l) => HIDDEN_LABELS.includes(l));
    if (message === undefined || hidden) return undefined;
    try {
      return await mapRawMessage(message, options.body);
    } catch {
      // Mail as received can be anything (headers past the parser's limits, broken structure): one such message is
      // set aside, named by its id only, and the round goes on (issue 16, "one bad item never blocks an account").
      return UNREADABLE;
    }
  });
  const result: Required<FetchedMessages> = { upserts: [], deletes: [], setAside: [] };
  fetched.forEach((record, index) => {
    const id = ids[index] as string;
    if (record === undefined) result.deletes.push(id);
    else if (record === UNREADABLE) result.setAside.push({ externalId: id, reason: 'unreadable message' });
    else result.upserts.push(record);
  });
  return result;
}

/** Gmail's per-user rate limit (403/429 rateLimitExceeded and kin), with its Retry-After when it sends one. */
function throttling(error: unknown): Throttling {
  if (classifyGoogleError(error).kind !== 'rate_limited') return { throttled: false };
  const header = error instanceof GaxiosError ? error.response?.headers.get('retry-after') : undefined;
  return { throttled: true, retryAfterMs: parseRetryAfter(header) };
}

async function getMessage(gmail: gmail_v1.Gmail, id: string): Promise<gmail_v1.Schema$Message | undefined> {
  try {
    const { data } = await gmail.users.messages.get({
      userId: 'me',
      id,
      // raw, not full: see mailMessage.ts. Both cost the same 5 quota units (docs/providers/google.md#gmail-quota).
      format: 'raw',
      fields: GOOGLE_FIELDS.message,
    });
    return data;
  } catch (error) {
    if (error instanceof GaxiosError && error.response?.status === 404) return undefined;
    throw error;
  }
}
