import type { gmail_v1 } from 'googleapis/build/src/apis/gmail';
import { MAIL_BODY_DEFAULTS } from '../shared/mailBody';
import { mapRawMessage } from './mailMessage';

// A reply as a mail client sends it: text (ISO-8859-1, quoted-printable) and HTML alternatives, an inline image
// the HTML shows by cid:, two attachments (RFC 2045/2046 structure).
const MIME = [
  'MIME-Version: 1.0',
  'Date: Sun, 1 Mar 2026 09:59:00 +0000',
  'Message-ID: <reply-2@mail.example>',
  'In-Reply-To: <first-1@mail.example>',
  'References: <root-0@mail.example>\r\n <first-1@mail.example>',
  'Subject: =?ISO-8859-1?Q?Re:_Devis_r=E9vis=E9?=',
  'From: "Hopper, Grace" <grace@navy.example>',
  'To: Ada <ada@example.com>',
  'Bcc: audit@example.com',
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
  '',
  '<p>Voilà le devis</p><img src="cid:logo@mail.example">',
  '--alt--',
  '--related',
  'Content-Type: image/png; name="logo.png"',
  'Content-Disposition: inline; filename="logo.png"',
  'Content-Transfer-Encoding: base64',
  'Content-ID: <logo@mail.example>',
  '',
  Buffer.alloc(300, 7).toString('base64'),
  '--related--',
  '--mixed',
  'Content-Type: application/pdf; name="quote.pdf"',
  'Content-Disposition: attachment; filename="quote.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.alloc(1000, 1).toString('base64'),
  '--mixed',
  'Content-Type: text/plain; name="notes.txt"',
  'Content-Disposition: attachment; filename="notes.txt"',
  '',
  'twelve bytes',
  '--mixed--',
  '',
].join('\r\n');

const message = (raw: string, labelIds = ['SENT']): gmail_v1.Schema$Message => ({
  id: 'm1',
  threadId: 't1',
  labelIds,
  snippet: 'Voilà le devis',
  internalDate: '1772359140000',
  raw: Buffer.from(raw).toString('base64url'),
});

test('a multipart message: both bodies decoded (charset, quoted-printable), threading headers, three attachments', async () => {
  expect(await mapRawMessage(message(MIME), MAIL_BODY_DEFAULTS)).toEqual({
    externalId: 'm1',
    threadId: 't1',
    fromAddress: 'grace@navy.example',
    toAddresses: ['ada@example.com'],
    ccAddresses: [],
    bccAddresses: ['audit@example.com'],
    subject: 'Re: Devis révisé',
    sentAt: new Date(1772359140000),
    labels: ['SENT'],
    snippet: 'Voilà le devis',
    // postal-mime keeps the line break before a boundary with the part (RFC 2046 §5.1.1 gives it to the boundary).
    bodyText: 'Voilà le devis révisé, très long pour une ligne.\n',
    bodyHtml: '<p>Voilà le devis</p><img src="cid:logo@mail.example">\n',
    uniqueBody: null,
    bodyTruncated: false,
    messageId: '<reply-2@mail.example>',
    inReplyTo: '<first-1@mail.example>',
    references: ['<root-0@mail.example>', '<first-1@mail.example>'],
    direction: 'sent',
    attachments: [
      {
        attachmentId: '1',
        name: 'logo.png',
        contentType: 'image/png',
        size: 300,
        isInline: true,
        contentId: 'logo@mail.example',
      },
      {
        attachmentId: '2',
        name: 'quote.pdf',
        contentType: 'application/pdf',
        size: 1000,
        isInline: false,
        contentId: null,
      },
      {
        attachmentId: '3',
        name: 'notes.txt',
        contentType: 'text/plain',
        size: 13,
        isInline: false,
        contentId: null,
      },
    ],
  });
});

test('a message without SENT is received; a body over the cap is cut and flagged', async () => {
  const big = `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${'é'.repeat(3000)}`;
  const record = await mapRawMessage(message(big, ['INBOX']), { ...MAIL_BODY_DEFAULTS, maxBytes: 1025 });
  expect(record).toMatchObject({ direction: 'received', bodyTruncated: true, bodyHtml: null });
  // 1025 bytes would split a two-byte é: the cut keeps whole characters only.
  expect(record.bodyText).toBe('é'.repeat(512));
});

test('a message without raw content is refused', async () => {
  await expect(mapRawMessage({ id: 'm2' }, MAIL_BODY_DEFAULTS)).rejects.toThrow(
    'Google message without raw content',
  );
});
