/**
 * Addresses out of RFC 5322 address-list headers (From, To, Cc) as Gmail returns them: display names may be quoted
 * and hold commas (`"Doe, Jane" <jane@x.test>`), comments may sit in parentheses, and groups (`team: a@x, b@x;`)
 * wrap members. Only the addresses are kept; a malformed entry without an `@` is dropped rather than guessed.
 */
export function parseAddressList(header: string | null | undefined): string[] {
  if (!header) return [];
  return splitTopLevel(header)
    .map(addressOf)
    .filter((a): a is string => a !== null);
}

/** Splits on commas (and a group's closing `;`) that are outside quotes, angle brackets and comments. */
function splitTopLevel(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i] as string;
    if (quoted && ch === '\\') {
      current += ch + (header[++i] ?? '');
      continue;
    }
    if (ch === '"' && comment === 0) quoted = !quoted;
    else if (!quoted && ch === '(') comment++;
    else if (!quoted && ch === ')' && comment > 0) comment--;
    else if (!quoted && comment === 0 && ch === '<') angle++;
    else if (!quoted && comment === 0 && ch === '>' && angle > 0) angle--;
    else if (!quoted && comment === 0 && angle === 0 && (ch === ',' || ch === ';')) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function addressOf(entry: string): string | null {
  const angled = /<([^<>]*)>\s*(?:\([^)]*\)\s*)*$/.exec(entry);
  // A group's first member carries the group name before an unquoted colon.
  const bare = angled ? angled[1] : stripGroupName(stripComments(entry));
  const address = (bare ?? '').trim().replace(/^mailto:/i, '');
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : null;
}

function stripComments(entry: string): string {
  return entry.replace(/\([^()]*\)/g, ' ');
}

function stripGroupName(entry: string): string {
  const colon = entry.indexOf(':');
  return colon >= 0 && !entry.slice(0, colon).includes('@') ? entry.slice(colon + 1) : entry;
}
