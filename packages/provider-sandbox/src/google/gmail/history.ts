import { type FastifyInstance } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type Change, type Dataset, type SandboxContext } from '../../core/types';
import { type GmailMessageData, gmailMessages } from './generate';
import { openToken, sealToken } from '../cursors';
import { badRequest, insufficientScope, invalidPageToken, notFound } from '../errors';
import { limit, many, one, pathParam } from '../params';
import { gmailAccess, gmailRoute, ownUser } from './messages';

type HistoryType = 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';
const HISTORY_TYPES: HistoryType[] = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

type HistoryRecord = {
  id: string;
  messages: { id: string; threadId: string; labelIds?: string[] }[];
  messagesAdded?: unknown[];
  messagesDeleted?: unknown[];
  labelsAdded?: unknown[];
  labelsRemoved?: unknown[];
};

/**
 * One history record per change. A deleted message is reported with its id as thread id (the sandbox keeps nothing of
 * it). A label edit is reported as Gmail does, `labelsAdded` and/or `labelsRemoved` naming the labels and the message
 * with its current ones; when a message changed several times since `startHistoryId` only its last change is listed.
 * Gmail never edits anything else of a message; a control-API edit of other fields shows as a `labelsAdded` record
 * naming no label, so clients re-read the message.
 */
function historyRecord(
  change: Change,
  messages: Dataset<GmailMessageData>,
): { types: HistoryType[]; record: HistoryRecord } {
  const item = messages.get(change.id);
  const message = {
    id: change.id,
    threadId: item?.data.threadId ?? change.id,
    ...(item ? { labelIds: item.data.labelIds } : {}),
  };
  const record = { id: String(change.seq), messages: [message] };
  if (change.kind === 'delete')
    return { types: ['messageDeleted'], record: { ...record, messagesDeleted: [{ message }] } };
  if (change.kind === 'add')
    return { types: ['messageAdded'], record: { ...record, messagesAdded: [{ message }] } };
  const { added = [], removed = [] } = item?.data.labelChange ?? {};
  const onlyRemoved = removed.length > 0 && added.length === 0;
  return {
    types: [
      ...(onlyRemoved ? [] : ['labelAdded' as const]),
      ...(removed.length > 0 ? ['labelRemoved' as const] : []),
    ],
    record: {
      ...record,
      ...(onlyRemoved ? {} : { labelsAdded: [{ message, labelIds: added }] }),
      ...(removed.length > 0 ? { labelsRemoved: [{ message, labelIds: removed }] } : {}),
    },
  };
}

/** users.history.list: changes after startHistoryId; 404 once the id is older than retained history. */
export function registerGmailHistory(app: FastifyInstance, ctx: SandboxContext): void {
  app.get(
    '/gmail/v1/users/:userId/history',
    gmailRoute('gmail.users.history.list', 2),
    async (request, reply) => {
      const auth = requireAuth(request);
      if (gmailAccess(auth) === 'none') return send(reply, insufficientScope());
      if (!ownUser(pathParam(request, 'userId'), auth)) return send(reply, notFound());
      const start = one(request, 'startHistoryId');
      if (start === undefined)
        return send(reply, badRequest('Missing required parameter: startHistoryId', 'startHistoryId'));
      if (!/^\d+$/.test(start)) return send(reply, badRequest('Invalid startHistoryId', 'startHistoryId'));
      const types = many(request, 'historyTypes') as HistoryType[];
      if (types.some((t) => !HISTORY_TYPES.includes(t)))
        return send(reply, badRequest('Invalid historyTypes', 'historyTypes'));
      const pageToken = one(request, 'pageToken');
      const cursor = openToken('gmail.history.pageToken', auth.account, pageToken);
      if (pageToken !== undefined && cursor?.s === undefined) return send(reply, invalidPageToken());

      const messages = ctx.datasets.open(auth.account, gmailMessages);
      const result = messages.changesSince(Number(start));
      if (!result.ok) return send(reply, notFound());
      const labelId = one(request, 'labelId');
      const records = result.changes
        .filter((c) => cursor?.s === undefined || c.seq > cursor.s)
        .map((c) => ({ change: c, ...historyRecord(c, messages) }))
        .filter((r) => types.length === 0 || r.types.some((t) => types.includes(t)))
        .filter((r) => labelId === undefined || (r.record.messages[0]?.labelIds ?? []).includes(labelId));
      const max = limit(request, 'maxResults', 100, 500);
      const page = records.slice(0, max);
      const last = page[page.length - 1];
      return {
        ...(page.length > 0 ? { history: page.map((r) => r.record) } : {}),
        ...(records.length > max && last
          ? { nextPageToken: sealToken('gmail.history.pageToken', auth.account, { s: last.change.seq }) }
          : {}),
        historyId: String(result.currentSeq),
      };
    },
  );
}
