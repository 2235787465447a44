import { type FastifyInstance } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type RequestAuth, type SandboxContext } from '../../core/types';
import { gmailMessages } from './generate';
import { openToken, sealToken } from '../cursors';
import { badRequest, insufficientScope, invalidPageToken, notFound } from '../errors';
import { limit, many, one, pathParam } from '../params';
import { attachmentBytes, mimeTree } from './mime';
import { type MessageFormat, parseQuery, renderMessage } from './render';

const READ_SCOPES = [
  'https://mail.google.com/',
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/gmail.modify',
  'https://www.googleapis.com/auth/gmail.metadata',
];
const METADATA_ONLY = 'https://www.googleapis.com/auth/gmail.metadata';
const FORMATS: MessageFormat[] = ['minimal', 'metadata', 'full', 'raw'];

export const gmailRoute = (routeId: string, quotaUnits: number) => ({
  config: { sandbox: { provider: 'google' as const, routeId, auth: true, quotaUnits } },
});

/**
 * Gmail scope check; `gmail.metadata` alone forbids bodies and search
 * (docs/providers/google.md#scopes).
 */
export function gmailAccess(auth: RequestAuth): 'full' | 'metadata' | 'none' {
  if (auth.scopes.some((s) => s !== METADATA_ONLY && READ_SCOPES.includes(s))) return 'full';
  return auth.scopes.includes(METADATA_ONLY) ? 'metadata' : 'none';
}

/** Only `userId=me` or the account's own address are served. */
export const ownUser = (userId: string, auth: RequestAuth) =>
  userId === 'me' || userId === auth.account.email;

export function registerGmailMessages(app: FastifyInstance, ctx: SandboxContext): void {
  app.get(
    '/gmail/v1/users/:userId/profile',
    gmailRoute('gmail.users.getProfile', 1),
    async (request, reply) => {
      const auth = requireAuth(request);
      if (gmailAccess(auth) === 'none') return send(reply, insufficientScope());
      if (!ownUser(pathParam(request, 'userId'), auth)) return send(reply, notFound());
      const messages = ctx.datasets.open(auth.account, gmailMessages);
      return {
        emailAddress: auth.account.email,
        messagesTotal: messages.count(),
        threadsTotal: messages.count(),
        historyId: String(ctx.datasets.currentSeq(auth.account)),
      };
    },
  );

  app.get(
    '/gmail/v1/users/:userId/messages',
    gmailRoute('gmail.messages.list', 5),
    async (request, reply) => {
      const auth = requireAuth(request);
      const access = gmailAccess(auth);
      if (access === 'none') return send(reply, insufficientScope());
      if (!ownUser(pathParam(request, 'userId'), auth)) return send(reply, notFound());
      const q = one(request, 'q');
      if (q !== undefined && access === 'metadata') {
        return send(reply, badRequest("Metadata scope does not support 'q' parameter", 'q'));
      }
      const range = parseQuery(q, ctx.clock.now());
      if (range === 'invalid') return send(reply, badRequest('Invalid query', 'q'));
      const pageToken = one(request, 'pageToken');
      const cursor = openToken('gmail.messages.pageToken', auth.account, pageToken);
      if (pageToken !== undefined && cursor?.o === undefined) return send(reply, invalidPageToken());
      const labels = many(request, 'labelIds');
      const hidden = one(request, 'includeSpamTrash') === 'true' ? [] : ['SPAM', 'TRASH'];
      const page = ctx.datasets.open(auth.account, gmailMessages).page({
        ...(cursor?.o === undefined ? {} : { after: cursor.o }),
        limit: limit(request, 'maxResults', 100, 500),
        order: 'desc',
        filter: ({ data }) =>
          labels.every((l) => data.labelIds.includes(l)) &&
          !hidden.some((l) => data.labelIds.includes(l)) &&
          (range.beforeMs === undefined || data.internalDate < range.beforeMs),
        // Newest first: once past the `after:` bound only older messages follow.
        ...(range.afterMs === undefined
          ? {}
          : { stopAt: ({ data }) => data.internalDate <= (range.afterMs as number) }),
      });
      return {
        ...(page.items.length > 0
          ? { messages: page.items.map((m) => ({ id: m.id, threadId: m.data.threadId })) }
          : {}),
        ...(page.nextOrdinal === undefined
          ? {}
          : { nextPageToken: sealToken('gmail.messages.pageToken', auth.account, { o: page.nextOrdinal }) }),
        resultSizeEstimate: page.nextOrdinal === undefined ? page.items.length : page.items.length + 1,
      };
    },
  );

  app.get(
    '/gmail/v1/users/:userId/messages/:id',
    gmailRoute('gmail.messages.get', 5),
    async (request, reply) => {
      const auth = requireAuth(request);
      const access = gmailAccess(auth);
      if (access === 'none') return send(reply, insufficientScope());
      if (!ownUser(pathParam(request, 'userId'), auth)) return send(reply, notFound());
      const format = (one(request, 'format') ?? 'full') as MessageFormat;
      if (!FORMATS.includes(format)) return send(reply, badRequest(`Invalid format: ${format}`, 'format'));
      if (access === 'metadata' && (format === 'full' || format === 'raw')) {
        return send(reply, insufficientScope());
      }
      const item = ctx.datasets.open(auth.account, gmailMessages).get(pathParam(request, 'id'));
      if (!item) return send(reply, notFound());
      return renderMessage(item, format, many(request, 'metadataHeaders'));
    },
  );
  app.get(
    '/gmail/v1/users/:userId/messages/:messageId/attachments/:id',
    gmailRoute('gmail.messages.attachments.get', 5),
    async (request, reply) => {
      const auth = requireAuth(request);
      const access = gmailAccess(auth);
      // Attachment bodies are message content: the metadata scope cannot read them.
      if (access !== 'full') return send(reply, insufficientScope());
      if (!ownUser(pathParam(request, 'userId'), auth)) return send(reply, notFound());
      const item = ctx.datasets.open(auth.account, gmailMessages).get(pathParam(request, 'messageId'));
      const bytes = item && attachmentBytes(mimeTree(item), item.id, pathParam(request, 'id'));
      if (!bytes) return send(reply, notFound());
      return { size: bytes.length, data: bytes.toString('base64url') };
    },
  );
}
