import fc from 'fast-check';
import { reference } from '../../test/google/mimeReference';
import { simpleMime } from './simpleMime';

// simpleMime must give exactly what postal-mime gives, or nothing (then postal-mime parses the message): checked on
// generated messages, in the shape it takes and around it.

type Node =
  | {
      kind: 'text';
      subtype: 'plain' | 'html';
      charset: string | null;
      encoding: string;
      text: string;
      attach: boolean;
    }
  | {
      kind: 'file';
      type: string;
      name: string;
      size: number;
      encoding: 'base64' | '7bit';
      cid: boolean;
      wrap: boolean;
    }
  | { kind: 'multi'; subtype: string; parts: Node[] };

/** Quoted-printable as a mail client writes it (RFC 2045 §6.7), lines under 76 with soft breaks. */
function qp(bytes: Buffer, eol: string): string {
  let out = '';
  let line = '';
  for (const byte of bytes) {
    if (byte === 0x0a) {
      out += line + eol;
      line = '';
      continue;
    }
    const literal = byte >= 33 && byte <= 126 && byte !== 61;
    const piece = literal
      ? String.fromCharCode(byte)
      : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + piece.length > 75) {
      out += `${line}=${eol}`;
      line = '';
    }
    line += piece;
  }
  return out + line;
}

function render(node: Node, eol: string, depth = 0): string[] {
  if (node.kind === 'multi') {
    const boundary = `b${depth}_${node.subtype}`;
    return [
      `Content-Type: multipart/${node.subtype}; boundary="${boundary}"`,
      '',
      'preamble, ignored',
      ...node.parts.flatMap((part) => [`--${boundary}`, ...render(part, eol, depth + 1)]),
      `--${boundary}--`,
      'epilogue, ignored',
    ];
  }
  if (node.kind === 'text') {
    const latin =
      node.charset?.toLowerCase() === 'iso-8859-1' || node.charset?.toLowerCase() === 'windows-1252';
    const bytes = latin
      ? Buffer.from(node.text.replace(/[^\u0000-\u00ff]/g, '?'), 'latin1')
      : Buffer.from(node.text);
    const body =
      node.encoding === 'base64'
        ? bytes.toString('base64').replace(/.{76}/g, `$&${eol}`)
        : node.encoding === 'quoted-printable'
          ? qp(bytes, eol)
          : bytes.toString('latin1').replace(/\n/g, eol);
    return [
      `Content-Type: text/${node.subtype}${node.charset ? `; charset="${node.charset}"` : ''}`,
      ...(node.encoding ? [`Content-Transfer-Encoding: ${node.encoding}`] : []),
      ...(node.attach ? ['Content-Disposition: attachment; filename="part.txt"'] : []),
      '',
      body,
    ];
  }
  const bytes = Buffer.alloc(node.size, node.name);
  const base64 = bytes.toString('base64');
  return [
    `Content-Type: ${node.type}; name="${node.name}"`,
    `Content-Disposition: ${node.cid ? 'inline' : 'attachment'}; filename="${node.name}"`,
    `Content-Transfer-Encoding: ${node.encoding}`,
    ...(node.cid ? [`Content-ID: <${node.name}@cid.example>`] : []),
    '',
    node.encoding === '7bit'
      ? `${node.name}\n`.repeat(node.size % 7).replace(/\n/g, eol)
      : node.wrap
        ? base64.replace(/.{76}/g, `$&${eol}`)
        : base64,
  ];
}

const text = fc.string({ unit: 'grapheme', maxLength: 120 }).map((t) => t.replace(/\r/g, ''));
const textNode = fc.record({
  kind: fc.constant('text' as const),
  subtype: fc.constantFrom('plain' as const, 'html' as const),
  charset: fc.constantFrom(null, 'UTF-8', 'utf-8', 'us-ascii', 'ISO-8859-1', 'windows-1252'),
  encoding: fc.constantFrom('', '7bit', '8bit', 'quoted-printable', 'base64'),
  text,
  attach: fc.boolean(),
});
const fileNode = fc.record({
  kind: fc.constant('file' as const),
  type: fc.constantFrom('application/pdf', 'image/png', 'text/plain', 'message/rfc822', 'text/calendar'),
  name: fc.constantFrom('a.pdf', 'logo.png', '=?UTF-8?B?w6kucGRm?=', 'notes.txt'),
  size: fc.nat({ max: 3000 }),
  encoding: fc.constantFrom('base64' as const, '7bit' as const),
  cid: fc.boolean(),
  wrap: fc.boolean(),
});
const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textNode,
    fileNode,
    fc.record({
      kind: fc.constant('multi' as const),
      subtype: fc.constantFrom('mixed', 'alternative', 'related', 'report'),
      parts: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    }),
  ),
})).node;

const headers = (eol: string) =>
  [
    'MIME-Version: 1.0',
    'Date: Sun, 1 Mar 2026 09:59:00 +0000',
    'Message-ID: <m-1@mail.example>',
    'References: <r-0@mail.example>',
    ` <r-1@mail.example>`,
    'Subject: =?ISO-8859-1?Q?Devis_r=E9vis=E9?=',
    'From: "Hopper, Grace" <grace@navy.example>',
    'To: Ada <ada@example.com>',
  ].join(eol);

test('on generated messages, simpleMime gives what postal-mime gives, or leaves the message to it', async () => {
  let taken = 0;
  await fc.assert(
    fc.asyncProperty(tree, fc.constantFrom('\r\n', '\n'), async (root, eol) => {
      const raw = Buffer.from(`${headers(eol)}${eol}${render(root, eol).join(eol)}${eol}`, 'latin1');
      const simple = simpleMime(raw);
      if (simple === undefined) return;
      taken += 1;
      expect(simple).toEqual(await reference(raw));
    }),
    { numRuns: 400 },
  );
  // The generator stays mostly within the shape: the comparison above ran, not only the fallbacks.
  expect(taken).toBeGreaterThan(100);
});

const parse = (lines: string[]) => simpleMime(Buffer.from(lines.join('\r\n'), 'latin1'));

test.each([
  [
    'an RFC 2231 file name',
    [
      'Content-Type: application/pdf',
      "Content-Disposition: attachment; filename*=UTF-8''%C3%A9.pdf",
      '',
      'x',
    ],
  ],
  ['a non-ASCII header', ['Subject: Voilà', '', 'body']],
  ['format=flowed', ['Content-Type: text/plain; format=flowed', '', 'body']],
  ['a charset of its own', ['Content-Type: text/plain; charset=windows-1252', '', 'body']],
  ['a comment in a structured header', ['Content-Type: text/plain (note); charset=utf-8', '', 'body']],
  ['a multipart never closed', ['Content-Type: multipart/mixed; boundary="b"', '', '--b', '', 'text']],
  ['a multipart without a boundary', ['Content-Type: multipart/mixed', '', 'text']],
  [
    'an outer boundary closing an inner part',
    [
      'Content-Type: multipart/mixed; boundary="o"',
      '',
      '--o',
      'Content-Type: multipart/alternative; boundary="i"',
      '',
      '--i',
      '',
      'text',
      '--o--',
    ],
  ],
  [
    'a boundary that prefixes another',
    [
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: multipart/alternative; boundary="bb"',
      '',
      '--bb',
      '',
      'x',
      '--bb--',
      '--b--',
    ],
  ],
  ['headers without a blank line after them', ['Subject: cut']],
  [
    'a quoted-printable file',
    ['Content-Type: application/pdf', 'Content-Transfer-Encoding: quoted-printable', '', 'x=3D'],
  ],
])('%s is left to postal-mime', (_, lines) => {
  expect(parse(lines)).toBeUndefined();
});

test('a long run of spaces in a header is trimmed off its ends only', () => {
  expect(parse([`Subject: a${' '.repeat(60_000)}b   `, '', 'body'])?.subject).toBe(`a${' '.repeat(60_000)}b`);
});
