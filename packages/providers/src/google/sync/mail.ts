import { type ResourceSyncer, type SyncContinuation, type SyncPage, type SyncRequest } from '@crm-sync/core';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail';
import { guarded } from '../../shared/guard';
import { type MailBodyOptions } from '../../shared/mailBody';
import { googleApisFor, type GoogleApiOptions } from '../client';
import { classifyGoogleError } from '../errors';
import { GOOGLE_FIELDS } from '../fields';
import { numberField, stringField, unreadable } from './continuation';
import { fetchMessages } from './gmailMessages';
import { googleIdPass, idsOf } from './idPass';

export interface MailSyncOptions {
  /** `maxResults` of messages.list and history.list (Gmail's maximum is 500). */
  pageSize: number;
  /** messages.get calls in flight at once. */
  concurrency: number;
  body: MailBodyOptions;
}

/** Where a round stands between pages; ids and Gmail page tokens only, never an access token. */
type MailContinuation =
  | { phase: 'full'; startHistoryId: string; afterSeconds: number; pageToken: string }
  | { phase: 'incremental'; startHistoryId: string; pageToken: string };

const HISTORY_TYPES = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];
const DAY_MS = 86_400_000;

/**
 * Gmail (`mail` → `emails`). A full round lists the window newest first (so a user who just connected sees recent
 * mail first) and gets each message's headers; an incremental round reads history from the stored historyId and
 * re-gets what changed (docs/providers/google.md#gmail-history). Messages come with bodies, threading headers and
 * attachment metadata (mailMessage.ts).
 */
export function createMailSyncer(api: GoogleApiOptions, options: MailSyncOptions): ResourceSyncer<'emails'> {
  return {
    resource: 'mail',
    table: 'emails',
    fetchPage: (request) =>
      guarded('google', 'mail sync', classifyGoogleError, () => mailPage(request, api, options)),
    // One messages.get per id, as the rounds get them (a message now in Spam or Trash, or gone, is a deletion).
    fetchByIds: (request) =>
      guarded('google', 'mail get', classifyGoogleError, () =>
        fetchMessages(googleApisFor(request.accessToken, api, request.tally).gmail, request.ids, options),
      ),
    // The full round's listing (same `after:` window, Spam and Trash left out as there) without the gets.
    listIds: googleIdPass(
      {
        resource: 'mail',
        params: ({ now, initialWindowDays }) => ({
          q: `after:${Math.floor((now.getTime() - initialWindowDays * DAY_MS) / 1000)}`,
        }),
        listedWindow: ({ q }) => ({
          after: new Date(Number(q?.slice('after:'.length)) * 1000),
          before: null,
        }),
        async list(apis, { q }, pageToken) {
          const { data } = await apis.gmail.users.messages.list({
            userId: 'me',
            maxResults: options.pageSize,
            q,
            fields: GOOGLE_FIELDS.messageList,
            ...(pageToken ? { pageToken } : {}),
          });
          return { ids: idsOf(data.messages, (m) => m.id), nextPageToken: data.nextPageToken };
        },
      },
      api,
    ),
  };
}

async function mailPage(
  request: SyncRequest,
  api: GoogleApiOptions,
  options: MailSyncOptions,
): Promise<SyncPage<'emails'>> {
  const { gmail } = googleApisFor(request.accessToken, api, request.tally);
  const { position } = request;
  const stored = position.continuation ? readContinuation(position.continuation) : undefined;
  if (stored?.phase === 'full') return listPage(gmail, stored, options);
  if (stored?.phase === 'incremental') return historyPage(gmail, stored, options);
  if (position.mode === 'incremental' && position.cursor) {
    return historyPage(
      gmail,
      { phase: 'incremental', startHistoryId: position.cursor, pageToken: '' },
      options,
    );
  }
  // Captured before listing: whatever changes while the round pages is in history after this id.
  const { data: profile } = await gmail.users.getProfile({ userId: 'me', fields: GOOGLE_FIELDS.profile });
  if (!profile.historyId) throw new Error('Gmail profile without historyId');
  const afterSeconds = Math.floor((request.now.getTime() - request.initialWindowDays * DAY_MS) / 1000);
  return listPage(
    gmail,
    { phase: 'full', startHistoryId: profile.historyId, afterSeconds, pageToken: '' },
    options,
  );
}

/** One page of the full round; the `after:` bound is fixed at the round's start so every page asks the same query. */
async function listPage(
  gmail: gmail_v1.Gmail,
  round: Extract<MailContinuation, { phase: 'full' }>,
  options: MailSyncOptions,
): Promise<SyncPage<'emails'>> {
  const { data } = await gmail.users.messages.list({
    userId: 'me',
    maxResults: options.pageSize,
    q: `after:${round.afterSeconds}`,
    fields: GOOGLE_FIELDS.messageList,
    ...(round.pageToken ? { pageToken: round.pageToken } : {}),
  });
  const ids = (data.messages ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  const changes = await fetchMessages(gmail, ids, options);
  return {
    ...changes,
    next: data.nextPageToken
      ? { kind: 'more', continuation: { ...round, pageToken: data.nextPageToken } }
      : // `after:` lists every message Gmail received after that instant, the date the mapper stores as sentAt.
        {
          kind: 'caught_up',
          cursor: round.startHistoryId,
          window: { after: new Date(round.afterSeconds * 1000), before: null },
        },
  };
}

/** One page of history; the last word on each message in the page decides between re-get and deletion. */
async function historyPage(
  gmail: gmail_v1.Gmail,
  round: Extract<MailContinuation, { phase: 'incremental' }>,
  options: MailSyncOptions,
): Promise<SyncPage<'emails'>> {
  const { data } = await gmail.users.history.list({
    userId: 'me',
    startHistoryId: round.startHistoryId,
    historyTypes: HISTORY_TYPES,
    maxResults: options.pageSize,
    fields: GOOGLE_FIELDS.history,
    ...(round.pageToken ? { pageToken: round.pageToken } : {}),
  });
  const last = lastChangePerMessage(data.history ?? []);
  const changed = [...last].filter(([, kind]) => kind === 'changed').map(([id]) => id);
  const fetched = await fetchMessages(gmail, changed, options);
  const deleted = [...last].filter(([, kind]) => kind === 'deleted').map(([id]) => id);
  if (!data.nextPageToken && !data.historyId) throw new Error('Gmail history last page without historyId');
  const next: SyncPage<'emails'>['next'] = data.nextPageToken
    ? { kind: 'more', continuation: { ...round, pageToken: data.nextPageToken } }
    : // The response's historyId is the mailbox's current one: every change up to it was in these pages.
      { kind: 'caught_up', cursor: data.historyId as string };
  return { ...fetched, deletes: [...deleted, ...fetched.deletes], next };
}

/** History records come oldest first; a later record about the same message overrides an earlier one. */
export function lastChangePerMessage(history: gmail_v1.Schema$History[]): Map<string, 'changed' | 'deleted'> {
  const last = new Map<string, 'changed' | 'deleted'>();
  const mark = (
    entries: Array<{ message?: gmail_v1.Schema$Message }> | undefined,
    kind: 'changed' | 'deleted',
  ) => {
    for (const entry of entries ?? []) {
      const id = entry.message?.id;
      if (!id) continue;
      last.delete(id);
      last.set(id, kind);
    }
  };
  for (const record of history) {
    mark(record.messagesAdded, 'changed');
    mark(record.labelsAdded, 'changed');
    mark(record.labelsRemoved, 'changed');
    mark(record.messagesDeleted, 'deleted');
  }
  return last;
}

function readContinuation(continuation: SyncContinuation): MailContinuation {
  const phase = continuation.phase;
  const startHistoryId = stringField(continuation, 'startHistoryId');
  const pageToken = stringField(continuation, 'pageToken');
  if (!startHistoryId || !pageToken) throw unreadable('mail');
  if (phase === 'incremental') return { phase, startHistoryId, pageToken };
  const afterSeconds = numberField(continuation, 'afterSeconds');
  if (phase === 'full' && afterSeconds !== undefined)
    return { phase, startHistoryId, afterSeconds, pageToken };
  throw unreadable('mail');
}
