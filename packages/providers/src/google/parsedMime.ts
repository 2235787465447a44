/** What the Gmail mapping reads of a parsed RFC 5322 message (postal-mime's `Email`, files by size only). */
export interface ParsedMime {
  /** The message's own header fields in order: keys lowercased, values unfolded and trimmed, not decoded. */
  headers: Array<{ key: string; value: string }>;
  subject?: string;
  /** ISO 8601 when the Date header parses, else its text. */
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  text?: string;
  html?: string;
  attachments: MimeFile[];
}

/** A file of the message: postal-mime's `Attachment` with its decoded size in place of its bytes. */
export interface MimeFile {
  filename: string | null;
  mimeType: string;
  disposition: string | null;
  /** Set when the file is in a multipart/related with a Content-ID: shown inline by the HTML. */
  related?: boolean;
  contentId?: string;
  size: number;
}
