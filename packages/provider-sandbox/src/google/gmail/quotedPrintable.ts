/**
 * Quoted-printable (RFC 2045 §6.7): bytes outside printable ASCII, `=`, and a space or tab ending a line as `=XX`;
 * lines kept under 76 characters with soft breaks (`=` CRLF).
 */
export function quotedPrintable(bytes: Buffer): string {
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i] as number;
    if (byte === 0x0a) {
      lines.push(
        line.replace(/[ \t]$/, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`),
      );
      line = '';
      continue;
    }
    if (byte === 0x0d) continue;
    const literal = (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 || byte === 9;
    const piece = literal
      ? String.fromCharCode(byte)
      : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + piece.length > 75) {
      lines.push(`${line}=`);
      line = '';
    }
    line += piece;
  }
  lines.push(
    line.replace(/[ \t]$/, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`),
  );
  return lines.join('\r\n');
}
