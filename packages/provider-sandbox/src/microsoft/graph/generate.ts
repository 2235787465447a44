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
  /** The message's files, served by the attachments route (routes/attachments.ts), never in the item itself. */
  files: GraphFile[];
};

/** A file of a message; its bytes are made on demand (attachments.ts). */
export interface GraphFile {
  name: string;
  contentType: string;
  size: number;
  /** Set for an image the HTML body shows by `cid:`. */
  contentId: string | null;
}
export { type ContactData } from './contactItems';
export { type EventData } from './eventItems';
export { CONTACTS_FOLDER_ID, INBOX_FOLDER_ID, owaLink } from './fake';

/** Outlook's own category names (https://learn.microsoft.com/graph/api/resources/outlookcategory). */
const CATEGORIES = [[], [], ['Red category'], ['Blue category', 'Customer']] as const;
const FLAGS = ['notFlagged', 'notFlagged', 'flagged', 'complete'] as const;

/** `Message-ID` of a generated message (RFC 5322 §3.6.4). */
function internetMessageIdOf(account: Account, ordinal: number): string {
  const seed = mix(account.seed, ordinal);
  return `<${seed.toString(16)}.${ordinal}@${person(seed, 1).address.split('@')[1]}>`;
}

/** About one message in three answers the one before it, in the same conversation. */
const isReply = (account: Account, ordinal: number) =>
  ordinal > 0 && mix(account.seed, ordinal + 31) % 3 === 0;

/**
 * The ordinal of the conversation's first message. A reply joins the conversation of the message before it unless
 * that one is already six messages long, when it starts its own; decided walking forward from the last message that
 * is no reply, so every message of a conversation agrees on where it starts.
 */
function conversationStart(account: Account, ordinal: number): number {
  let first = ordinal;
  while (isReply(account, first)) first -= 1;
  let start = first;
  for (let next = first + 1; next <= ordinal; next += 1) if (next - start >= 6) start = next;
  return start;
}

/** Two files on one message in seven; an inline logo on one HTML message in five. */
function filesOf(seed: number, ordinal: number, html: boolean): GraphFile[] {
  const files: GraphFile[] = [];
  if (html && seed % 5 === 1)
    files.push({
      name: 'logo.png',
      contentType: 'image/png',
      size: 600 + (seed % 3000),
      contentId: `logo${ordinal}@sandbox`,
    });
  if (seed % 7 === 0)
    files.push(
      {
        name: `quote-${ordinal}.pdf`,
        contentType: 'application/pdf',
        size: 4096 + (seed % 20_000),
        contentId: null,
      },
      { name: `notes-${ordinal}.txt`, contentType: 'text/plain', size: 100 + (seed % 900), contentId: null },
    );
  return files;
}

function makeMessage(account: Account, ordinal: number, size: number): MessageData {
  const seed = mix(account.seed, ordinal);
  const from = person(seed, 1);
  const received = account.createdAt - (size - ordinal) * 17 * MINUTE;
  const start = conversationStart(account, ordinal);
  const reply = start < ordinal;
  const subject = `${reply ? 'RE: ' : ''}${pick(TOPICS, mix(account.seed, start))} #${start}`;
  const preview = `Hello ${account.email}, about ${subject.toLowerCase()} (${ordinal}).`;
  const html = seed % 2 !== 0;
  const files = filesOf(seed, ordinal, html);
  const inline = files.find((f) => f.contentId !== null);
  // A reply quotes the message it answers below its own text; uniqueBody is the own text only.
  const quoted = reply ? `\n\n-----Original Message-----\n> about message ${ordinal - 1}` : '';
  const own = `${preview}\n\nRegards,\n${from.name}`;
  const asHtml = (text: string) =>
    `<html><body><div>${text.replace(/\n/g, '<br>')}${inline ? `<img src="cid:${inline.contentId}">` : ''}</div></body></html>`;
  // Messages come as sent: some as HTML, some as plain text (Graph converts only when `Prefer` asks).
  const body: MessageData['body'] = html
    ? { contentType: 'html', content: asHtml(own + quoted) }
    : { contentType: 'text', content: own + quoted };
  const uniqueBody: MessageData['body'] = html
    ? { contentType: 'html', content: asHtml(own) }
    : { contentType: 'text', content: own };
  const references: string[] = [];
  for (let earlier = start; earlier < ordinal; earlier += 1)
    references.push(internetMessageIdOf(account, earlier));
  const internetMessageId = internetMessageIdOf(account, ordinal);
  return {
    createdDateTime: iso(received),
    lastModifiedDateTime: iso(received),
    categories: [...pick(CATEGORIES, seed >>> 3)],
    subject,
    bodyPreview: preview,
    body,
    uniqueBody,
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
    // Inline files do not count (https://learn.microsoft.com/graph/api/resources/message, hasAttachments).
    hasAttachments: files.some((f) => f.contentId === null),
    importance: seed % 11 === 0 ? 'high' : 'normal',
    inferenceClassification: seed % 4 === 0 ? 'other' : 'focused',
    flag: { flagStatus: pick(FLAGS, seed >>> 5) },
    conversationId: `AAQkAG${(mix(account.seed, start) % 100_000).toString(36)}${start.toString(36)}`,
    internetMessageId,
    internetMessageHeaders: [
      { name: 'Message-ID', value: internetMessageId },
      ...(reply
        ? [
            { name: 'In-Reply-To', value: references[references.length - 1] as string },
            { name: 'References', value: references.join(' ') },
          ]
        : []),
      { name: 'Subject', value: subject },
    ],
    parentFolderId: INBOX_FOLDER_ID,
    webLink: owaLink(IDS.messages.idFor(account, ordinal), 'viewmodel=ReadMessageItem'),
    files,
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
