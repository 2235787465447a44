import { type StoredItem } from '../../core/types';
import { type GmailMessageData } from './generate';
import { type Header, mimeTree, payloadOf, rawOf, sizeOf } from './mime';

export type MessageFormat = 'minimal' | 'metadata' | 'full' | 'raw';

/** The message's own headers (RFC 5322); the MIME tree adds its Content-Type. */
function headersOf({ data }: StoredItem<GmailMessageData>): Header[] {
  const replyTo = data.references[data.references.length - 1];
  return [
    { name: 'MIME-Version', value: '1.0' },
    { name: 'Date', value: new Date(data.internalDate).toUTCString().replace('GMT', '+0000') },
    ...(replyTo === undefined
      ? []
      : [
          { name: 'References', value: data.references.join(' ') },
          { name: 'In-Reply-To', value: replyTo },
        ]),
    { name: 'Message-ID', value: data.messageId },
    { name: 'Subject', value: data.subject },
    { name: 'From', value: data.from },
    { name: 'To', value: data.to },
  ];
}

/** A Gmail Message resource in the requested format (docs/providers/google.md#gmail-messages). */
export function renderMessage(
  item: StoredItem<GmailMessageData>,
  format: MessageFormat,
  metadataHeaders: string[],
) {
  const { data } = item;
  const tree = mimeTree(item);
  const headers = headersOf(item);
  const base = {
    id: item.id,
    threadId: data.threadId,
    labelIds: data.labelIds,
    snippet: data.body.replace(/\s+/g, ' ').slice(0, 100),
    historyId: String(item.seq),
    internalDate: String(data.internalDate),
    sizeEstimate: sizeOf(tree, headers),
  };
  if (format === 'minimal') return base;
  if (format === 'raw') return { ...base, raw: rawOf(tree, headers) };
  if (format === 'full') return { ...base, payload: payloadOf(tree, headers) };
  // metadata: the top part's type and the message headers asked for (all of them when none are named).
  const wanted = new Set(metadataHeaders.map((h) => h.toLowerCase()));
  const all = [...headers, ...tree.headers];
  return {
    ...base,
    payload: {
      mimeType: tree.mimeType,
      headers: wanted.size === 0 ? all : all.filter((h) => wanted.has(h.name.toLowerCase())),
    },
  };
}

/** Gmail search subset: `after:`, `before:` (YYYY/MM/DD or epoch seconds) and `newer_than:Nd`. */
export function parseQuery(
  q: string | undefined,
  now: number,
): { afterMs?: number; beforeMs?: number } | 'invalid' {
  const result: { afterMs?: number; beforeMs?: number } = {};
  for (const term of (q ?? '').split(/\s+/).filter(Boolean)) {
    const [key, value = ''] = term.split(':');
    const when = /^\d+$/.test(value)
      ? Number(value) * 1000
      : Date.parse(value.replace(/\//g, '-') + 'T00:00:00Z');
    const days = /^(\d+)d$/.exec(value);
    if (key === 'after' && Number.isFinite(when)) result.afterMs = when;
    else if (key === 'before' && Number.isFinite(when)) result.beforeMs = when;
    else if (key === 'newer_than' && days) result.afterMs = now - Number(days[1]) * 86_400_000;
    else return 'invalid';
  }
  return result;
}
