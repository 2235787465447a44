import { type StoredItem } from '../../core/types';
import { type GmailMessageData } from '../data';

export type MessageFormat = 'minimal' | 'metadata' | 'full' | 'raw';

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function headersOf(item: StoredItem<GmailMessageData>): { name: string; value: string }[] {
  const { data } = item;
  return [
    { name: 'From', value: data.from },
    { name: 'To', value: data.to },
    { name: 'Subject', value: data.subject },
    { name: 'Date', value: new Date(data.internalDate).toUTCString().replace('GMT', '+0000') },
    { name: 'Message-ID', value: `<${item.id}@sandbox.mail.example>` },
    { name: 'MIME-Version', value: '1.0' },
    { name: 'Content-Type', value: 'text/plain; charset="UTF-8"' },
  ];
}

const rfc822 = (item: StoredItem<GmailMessageData>) =>
  `${headersOf(item)
    .map((h) => `${h.name}: ${h.value}`)
    .join('\r\n')}\r\n\r\n${item.data.body}`;

/** A Gmail Message resource in the requested format (docs/providers/google.md#gmail-messages). */
export function renderMessage(
  item: StoredItem<GmailMessageData>,
  format: MessageFormat,
  metadataHeaders: string[],
) {
  const { data } = item;
  const base = {
    id: item.id,
    threadId: data.threadId,
    labelIds: data.labelIds,
    snippet: data.body.replace(/\s+/g, ' ').slice(0, 100),
    historyId: String(item.seq),
    internalDate: String(data.internalDate),
    sizeEstimate: Buffer.byteLength(rfc822(item)),
  };
  if (format === 'minimal') return base;
  if (format === 'raw') return { ...base, raw: b64url(rfc822(item)) };
  const wanted = new Set(metadataHeaders.map((h) => h.toLowerCase()));
  const headers = headersOf(item).filter(
    (h) => format === 'full' || wanted.size === 0 || wanted.has(h.name.toLowerCase()),
  );
  if (format === 'metadata') return { ...base, payload: { mimeType: 'text/plain', headers } };
  return {
    ...base,
    payload: {
      partId: '',
      mimeType: 'text/plain',
      filename: '',
      headers,
      body: { size: Buffer.byteLength(data.body), data: b64url(data.body) },
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
