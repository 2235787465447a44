import PostalMime from 'postal-mime';
import { elideBase64Bodies, parseMime } from './rawMime';

// parseMime must give exactly what postal-mime gives on the whole message (attachments with their decoded size):
// each case is checked against a full parse, and against how many bodies the fast path replaced.

const crlf = (lines: string[]) => lines.join('\r\n');
/** base64 wrapped at 76 characters (RFC 2045 §6.8). */
const wrapped = (bytes: Buffer, eol = '\r\n') => bytes.toString('base64').replace(/.{76}/g, `$&${eol}`);
const bytes = (size: number, seed = 1) =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 256));

async function fullParse(raw: Buffer) {
  const parsed = await PostalMime.parse(raw);
  return {
    ...parsed,
    attachments: parsed.attachments.map(({ content, ...rest }) => ({
      ...rest,
      size: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength,
    })),
  };
}

async function expectSameAsFullParse(text: string, elided: number) {
  const raw = Buffer.from(text, 'latin1');
  expect(elideBase64Bodies(raw.toString('latin1')).bodies).toHaveLength(elided);
  const parsed = await parseMime(raw);
  expect(parsed).toEqual(await fullParse(raw));
  return parsed;
}

const file = (type: string, name: string, body: string, extra: string[] = []) => [
  `Content-Type: ${type}; name="${name}"`,
  `Content-Disposition: attachment; filename="${name}"`,
  'Content-Transfer-Encoding: base64',
  ...extra,
  '',
  body,
];

test('nested multiparts: charsets and quoted-printable bodies, inline image and files of every padding', async () => {
  const parsed = await expectSameAsFullParse(
    crlf([
      'MIME-Version: 1.0',
      'Subject: =?ISO-8859-1?Q?Devis_r=E9vis=E9?=',
      'From: Grace <grace@navy.example>',
      'Content-Type: multipart/mixed; boundary="mixed"',
      '',
      '--mixed',
      'Content-Type: multipart/related; boundary="related"',
      '',
      '--related',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Voil=E0 le devis r=E9vis=E9, tr=E8s long pour =\r\nune ligne.',
      '--alt',
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>Voilà le devis</p>').toString('base64'),
      '--alt--',
      '--related',
      ...file('image/png', 'logo.png', wrapped(bytes(3000)), ['Content-ID: <logo@mail.example>']),
      '--related--',
      '--mixed',
      ...file('application/pdf', '=?UTF-8?B?ZGV2aXMgcsOpdmlzw6kucGRm?=', wrapped(bytes(3001, 2))),
      '--mixed',
      ...file('application/octet-stream', 'two.bin', wrapped(bytes(3002, 3))),
      '--mixed',
      'Content-Type: text/plain; name="notes.txt"',
      'Content-Disposition: attachment; filename="notes.txt"',
      '',
      'twelve bytes',
      '--mixed--',
      '',
    ]),
    3,
  );
  expect(parsed.text).toBe('Voilà le devis révisé, très long pour une ligne.\n');
  expect(parsed.html).toBe('<p>Voilà le devis</p>');
  expect(parsed.attachments.map((a) => [a.filename, a.size])).toEqual([
    ['logo.png', 3000],
    ['devis révisé.pdf', 3001],
    ['two.bin', 3002],
    ['notes.txt', 13],
  ]);
});

test('LF line ends, one unwrapped line, and a message/rfc822 part whose own file is replaced too', async () => {
  const inner = [
    'Subject: forwarded',
    'Content-Type: multipart/mixed; boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'the forwarded text',
    '--inner',
    ...file('application/zip', 'inner.zip', wrapped(bytes(999, 4), '\n')),
    '--inner--',
  ];
  const parsed = await expectSameAsFullParse(
    [
      'Subject: lf',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'the outer text',
      '--outer',
      ...file('application/pdf', 'flat.pdf', bytes(1000, 5).toString('base64')),
      '--outer',
      'Content-Type: message/rfc822',
      '',
      ...inner,
      '--outer--',
      '',
    ].join('\n'),
    2,
  );
  expect(parsed.attachments.map((a) => [a.filename, a.size])).toEqual([
    ['flat.pdf', 1000],
    ['inner.zip', 999],
  ]);
});

test('a base64 text body is not an attachment: the check fails, and the whole message is parsed as it is', async () => {
  const body = 'A text part sent as base64, long enough to be taken for a file. '.repeat(9);
  const parsed = await expectSameAsFullParse(
    crlf([
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      wrapped(Buffer.from(body)),
      '--b',
      ...file('application/pdf', 'a.pdf', wrapped(bytes(600))),
      '--b--',
    ]),
    2,
  );
  expect(parsed.text).toBe(body);
  expect(parsed.attachments.map((a) => a.size)).toEqual([600]);
});

test('bodies that are not clean base64 up to a boundary are decoded as postal-mime decodes them', async () => {
  const good = wrapped(bytes(900));
  const parsed = await expectSameAsFullParse(
    crlf([
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      // Padding inside the body: postal-mime decodes each padded unit on its own.
      ...file('application/pdf', 'padded.pdf', `${bytes(400).toString('base64')}\r\n${good}`),
      '--b',
      // Text after the base64 and before the boundary joins the part's content.
      ...file('application/pdf', 'trailing.pdf', `${good}\r\nnot base64 at all!`),
      '--b',
      // A body shorter than a full group of four.
      ...file('application/pdf', 'short.pdf', `${good.replace(/\r\n/g, '')}A`),
      '--b',
      ...file('application/pdf', 'small.pdf', bytes(30).toString('base64')),
      '--b--',
    ]),
    0,
  );
  expect(parsed.attachments.map((a) => a.filename)).toEqual([
    'padded.pdf',
    'trailing.pdf',
    'short.pdf',
    'small.pdf',
  ]);
});

test('an unterminated part and a body that never ends still parse as postal-mime parses them', async () => {
  await expectSameAsFullParse(
    crlf([
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      ...file('application/pdf', 'cut.pdf', wrapped(bytes(2000))),
    ]),
    1,
  );
  await expectSameAsFullParse(
    crlf([
      'Content-Type: application/pdf',
      'Content-Transfer-Encoding: base64',
      '',
      wrapped(bytes(2000)),
      '',
    ]),
    1,
  );
});

test('a header block past postal-mime’s limit is refused as before', async () => {
  const raw = Buffer.from(
    crlf([`Subject: ${'x'.repeat(2_200_000)}`, 'Content-Type: text/plain', '', 'body']),
    'latin1',
  );
  await expect(parseMime(raw)).rejects.toThrow();
});
