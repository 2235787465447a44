import PostalMime from 'postal-mime';
import { type ParsedMime } from '../../src/google/parsedMime';

/** postal-mime's parse of the whole message, in ParsedMime's terms. */
export async function reference(raw: Buffer): Promise<ParsedMime> {
  const email = await PostalMime.parse(raw);
  const picked: ParsedMime = {
    headers: email.headers.map(({ key, value }) => ({ key, value })),
    attachments: email.attachments.map((a) => ({
      filename: a.filename,
      mimeType: a.mimeType,
      disposition: a.disposition,
      ...(a.related === undefined ? {} : { related: a.related }),
      ...(a.contentId === undefined ? {} : { contentId: a.contentId }),
      size: typeof a.content === 'string' ? Buffer.byteLength(a.content) : a.content.byteLength,
    })),
  };
  for (const key of ['subject', 'date', 'messageId', 'inReplyTo', 'references', 'text', 'html'] as const)
    if (email[key] !== undefined) picked[key] = email[key];
  return picked;
}
