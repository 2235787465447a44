import { mix, pick } from '../../core/random';
import { type Account, type ResourceGenerator } from '../../core/types';
import { type ContactData, makeContact } from './contactItems';
import { type EventData, makeEvent } from './eventItems';
import { applyFields, IDS, INBOX_FOLDER_ID, MINUTE, owaLink, person, TOPICS, iso } from './fake';
import { type GraphMessage } from './types';

// Stored data is the wire item without `id` and `changeKey`: both come from the StoredItem
// (id, seq) when rendering, so an edit changes the changeKey without the generator knowing seqs.
export type MessageData = Omit<GraphMessage, 'id' | 'changeKey'> & {
  /** Sandbox bookkeeping, never rendered (render.ts): folders a moved message was filed in before. */
  formerFolderIds?: string[];
};
export { type ContactData } from './contactItems';
export { type EventData } from './eventItems';
export { CONTACTS_FOLDER_ID, INBOX_FOLDER_ID, owaLink } from './fake';

/** Outlook's own category names (https://learn.microsoft.com/graph/api/resources/outlookcategory). */
const CATEGORIES = [[], [], ['Red category'], ['Blue category', 'Customer']] as const;
const FLAGS = ['notFlagged', 'notFlagged', 'flagged', 'complete'] as const;

function makeMessage(account: Account, ordinal: number, size: number): MessageData {
  const seed = mix(account.seed, ordinal);
  const from = person(seed, 1);
  const received = account.createdAt - (size - ordinal) * 17 * MINUTE;
  const subject = `${pick(TOPICS, seed)} #${ordinal}`;
  const preview = `Hello ${account.email}, about ${subject.toLowerCase()}.`;
  // Messages come as sent: some as HTML, some as plain text (Graph converts only when `Prefer` asks).
  const body: MessageData['body'] =
    seed % 2 === 0
      ? { contentType: 'text', content: `${preview}\n\nRegards,\n${from.name}` }
      : {
          contentType: 'html',
          content: `<html><body><div>${preview}<br><br>Regards,<br>${from.name}</div></body></html>`,
        };
  return {
    createdDateTime: iso(received),
    lastModifiedDateTime: iso(received),
    categories: [...pick(CATEGORIES, seed >>> 3)],
    subject,
    bodyPreview: preview,
    body,
    from: { emailAddress: from },
    sender: { emailAddress: from },
    toRecipients: [{ emailAddress: { name: account.email, address: account.email } }],
    ccRecipients: seed % 3 === 0 ? [{ emailAddress: person(seed, 5) }] : [],
    bccRecipients: [],
    replyTo: seed % 5 === 0 ? [{ emailAddress: person(seed, 9) }] : [],
    receivedDateTime: iso(received),
    sentDateTime: iso(received - MINUTE),
    isRead: seed % 2 === 0,
    isDraft: false,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: seed % 13 === 0,
    hasAttachments: seed % 7 === 0,
    importance: seed % 11 === 0 ? 'high' : 'normal',
    inferenceClassification: seed % 4 === 0 ? 'other' : 'focused',
    flag: { flagStatus: pick(FLAGS, seed >>> 5) },
    conversationId: `AAQkAG${(seed % 100_000).toString(36)}`,
    internetMessageId: `<${seed.toString(16)}.${ordinal}@${from.address.split('@')[1]}>`,
    parentFolderId: INBOX_FOLDER_ID,
    webLink: owaLink(IDS.messages.idFor(account, ordinal), 'viewmodel=ReadMessageItem'),
  };
}

export interface GraphGenerators {
  messages: ResourceGenerator<MessageData>;
  events: ResourceGenerator<EventData>;
  contacts: ResourceGenerator<ContactData>;
}

export function graphGenerators(): GraphGenerators {
  const apply = <T extends object>(
    item: T,
    fields: Record<string, unknown>,
    _account: Account,
    now: number,
  ) => applyFields(item, fields, now);
  return {
    messages: {
      provider: 'microsoft',
      resource: 'messages',
      ...IDS.messages,
      make: makeMessage,
      apply: (item, fields, account, now) => {
        const next = apply(item, fields, account, now);
        if (next.parentFolderId === item.parentFolderId) return next;
        return { ...next, formerFolderIds: [...(item.formerFolderIds ?? []), item.parentFolderId] };
      },
    },
    events: {
      provider: 'microsoft',
      resource: 'events',
      ...IDS.events,
      make: makeEvent,
      // An edited occurrence is an exception to its series from then on.
      apply: (item, fields, account, now) => {
        const next = apply(item, fields, account, now);
        return next.type === 'occurrence' ? { ...next, type: 'exception' } : next;
      },
    },
    contacts: {
      provider: 'microsoft',
      resource: 'contacts',
      ...IDS.contacts,
      make: makeContact,
      apply,
    },
  };
}
