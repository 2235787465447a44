/**
 * A Subject as a sending client puts it on the wire (RFC 5322 §2.2, RFC 2047): printable ASCII with no leading or
 * trailing blank as is; anything else (non-ASCII, control characters, a line break, blanks at either end that
 * unfolding would drop) as UTF-8 "B" encoded-words of at most 75 characters, folded onto continuation lines. Each
 * encoded-word holds whole characters (RFC 2047 §5), so a parser decodes the value back exactly.
 */
export function wireSubject(value: string): string {
  if (/^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const character of value) {
    // 45 bytes of UTF-8 make 60 base64 characters: with "=?UTF-8?B?" and "?=", 72, under RFC 2047's 75.
    if (Buffer.byteLength(chunk + character) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** The header line's value as the raw message carries it. */
export const wireHeaderValue = (name: string, value: string): string =>
  name.toLowerCase() === 'subject' ? wireSubject(value) : value;
