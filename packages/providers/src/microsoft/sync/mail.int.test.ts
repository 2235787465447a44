import type { Message } from '@microsoft/microsoft-graph-types';
import { deltaScenarios } from '../../../test/microsoft/deltaScenarios';
import { mailCursorLinks } from '../../../test/microsoft/harness';

const addresses = (recipients: Message['toRecipients']) =>
  (recipients ?? []).map((r) => r.emailAddress?.address);

deltaScenarios<'emails', Message>({
  resource: 'mail',
  sandboxResource: 'messages',
  route: 'graph.messages.delta',
  size: 1200,
  initialWindowDays: 30,
  // The sandbox's 8 folders less Deleted Items and Junk Email (provider-sandbox src/microsoft/graph/folders.ts).
  folders: { count: 6, firstRoute: 'graph.mailFolders.delta' },
  cursorLinks: mailCursorLinks,
  continuationKeys: ['folder', 'initial', 'pending', 'done', 'owner', 'tree'],
  expected: (m) => ({
    threadId: m.conversationId!,
    fromAddress: m.from!.emailAddress!.address!,
    toAddresses: addresses(m.toRecipients) as string[],
    ccAddresses: addresses(m.ccRecipients) as string[],
    subject: m.subject!,
    sentAt: new Date(m.sentDateTime!),
    snippet: m.bodyPreview!,
    labels: [
      ...(m.categories ?? []),
      ...(m.isRead ? [] : ['UNREAD']),
      ...(m.flag?.flagStatus === 'flagged' ? ['FLAGGED'] : []),
      ...(m.importance === 'high' ? ['IMPORTANT'] : []),
    ],
  }),
  edit: { fields: { subject: 'Edited subject' }, expected: { subject: 'Edited subject' } },
});
