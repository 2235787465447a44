import { connectSandboxAccount, openRows } from '@crm-sync/connections/testing';
import type { Provider } from '@crm-sync/core';
import { engineDeps, sandboxIds, SYNC_CASES, syncUntilCaughtUp } from '@crm-sync/sync-engine/testing';
import { startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';
import { disposition } from './routes/attachments/getAttachmentContent';

// Attachment content on demand (issue 18): the row names the file, connect-api reads it from the provider through
// the official clients (Gmail attachments.get after re-reading the structure, Graph $value) and streams it on.

const CAP = 10_000;
let h: AppHarness;
beforeAll(async () => {
  h = await startApp({ attachmentMaxBytes: CAP });
});
afterAll(() => h.close());

const PDF = { name: 'devis révisé.pdf', type: 'application/pdf', size: 40_000 };
const TXT = { name: 'notes.txt', type: 'text/plain', size: 900 };
const PNG = { name: 'logo.png', type: 'image/png', size: 3_000 };

/** How each sandbox is told to give a message an inline image and two files. */
const FILES: Record<'google' | 'microsoft', Record<string, unknown>> = {
  google: {
    inlineImage: { filename: PNG.name, mimeType: PNG.type, size: PNG.size },
    attachments: [PDF, TXT].map((f) => ({ filename: f.name, mimeType: f.type, size: f.size })),
  },
  microsoft: {
    hasAttachments: true,
    files: [
      { name: PNG.name, contentType: PNG.type, size: PNG.size, contentId: 'logo@crm.example' },
      ...[PDF, TXT].map((f) => ({ name: f.name, contentType: f.type, size: f.size, contentId: null })),
    ],
  },
};

/** The sandboxes' file bytes: the file's name repeated to its size. */
const bytesOf = (file: { name: string; size: number }) => Buffer.alloc(file.size, file.name);

describe.each(['google', 'microsoft'] as const)(
  '%s attachment content',
  (provider: Provider & keyof typeof FILES) => {
    it('streams each file with its type and name, refuses one over the cap, another tenant and unknown ids', async () => {
      const { connectionId, account } = await connectSandboxAccount(h, {
        provider,
        email: `files-${provider}@example.com`,
        sizes: { messages: 6 },
        resources: ['mail'],
      });
      const sync = SYNC_CASES.find((s) => s.provider === provider && s.table === 'emails')!;
      const id = sandboxIds(h, sync, account.id)[2]!;
      h.sandbox.control.updateItem(provider, account.id, 'messages', id, FILES[provider]);
      await syncUntilCaughtUp(engineDeps(h), connectionId, 'mail');
      const emailId = sync.wireId?.(id, account) ?? id;
      // The names are sealed in the table: the route opens them, as this does.
      const rows = (await openRows(
        h.db.dataSource,
        h.deps.content,
        'email_attachments',
        'connection_id = $1 AND email_external_id = $2',
        [connectionId, emailId],
      )) as { attachment_id: string; name: string }[];
      expect(rows.map((r) => r.name).sort()).toEqual([PDF.name, PNG.name, TXT.name].sort());
      const url = (attachmentId: string, tenant = 't1', email = emailId) =>
        `/v1/connections/${connectionId}/emails/${encodeURIComponent(email)}/attachments/${encodeURIComponent(
          attachmentId,
        )}/content?tenantId=${tenant}`;
      const idOf = (name: string) => rows.find((r) => r.name === name)!.attachment_id;

      for (const file of [TXT, PNG]) {
        const response = await h.api(url(idOf(file.name)));
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain(file.type);
        expect(response.headers.get('content-disposition')).toBe(disposition(file.name));
        expect(response.headers.get('cache-control')).toBe('private, no-store');
        expect(Buffer.from(await response.arrayBuffer())).toEqual(bytesOf(file));
      }

      // One byte range (RFC 9110 §14): 206 with exactly those bytes, 416 past the end, the whole file where the
      // Range is to be ignored (several ranges, an If-Range, which no validator of ours can match).
      const txt = bytesOf(TXT);
      const ranged = async (range: string, extra: Record<string, string> = {}) => {
        const response = await h.api(url(idOf(TXT.name)), { headers: { range, ...extra } });
        return { response, body: Buffer.from(await response.arrayBuffer()) };
      };
      for (const [range, start, end] of [
        ['bytes=100-199', 100, 199],
        ['bytes=850-', 850, 899],
        ['bytes=-25', 875, 899],
        ['bytes=0-5000', 0, 899],
      ] as const) {
        const { response, body } = await ranged(range);
        expect(response.status).toBe(206);
        expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${TXT.size}`);
        expect(response.headers.get('content-length')).toBe(String(end - start + 1));
        expect(response.headers.get('content-disposition')).toBe(disposition(TXT.name));
        expect(body).toEqual(txt.subarray(start, end + 1));
      }
      const past = await ranged('bytes=900-');
      expect(past.response.status).toBe(416);
      expect(past.response.headers.get('content-range')).toBe(`bytes */${TXT.size}`);
      expect(JSON.parse(past.body.toString())).toMatchObject({ code: 'range_not_satisfiable' });
      for (const whole of [await ranged('bytes=0-1,5-6'), await ranged('bytes=0-9', { 'if-range': '"x"' })]) {
        expect(whole.response.status).toBe(200);
        expect(whole.response.headers.get('accept-ranges')).toBe('bytes');
        expect(whole.body).toEqual(txt);
      }

      // Over the cap: refused before the provider is asked for the bytes.
      const big = await h.api(url(idOf(PDF.name)));
      expect(big.status).toBe(413);
      expect(await big.json()).toMatchObject({ code: 'too_large' });

      // Bound to the tenant: a service of another tenant is refused, and a wrong tenant finds nothing.
      expect((await h.api(url(idOf(TXT.name), 't1'), { secret: T1_ONLY_SECRET })).status).toBe(200);
      expect((await h.api(url(idOf(TXT.name), 't2'), { secret: T1_ONLY_SECRET })).status).toBe(403);
      expect((await h.api(url(idOf(TXT.name), 't2'))).status).toBe(404);
      expect((await h.api(url(idOf(TXT.name)), { secret: null })).status).toBe(401);
      expect((await h.api(url('999'))).status).toBe(404);
      expect((await h.api(url(idOf(TXT.name), 't1', 'no-such-email'))).status).toBe(404);

      // The token went to the provider only.
      const stored = (await h.deps.credentials.load(connectionId))!;
      expect(h.logs()).not.toContain(stored.tokens.accessToken);
    });
  },
);

describe('google: files of a forwarded message (message/rfc822)', () => {
  const A = { name: 'inside-a.txt', type: 'text/plain', size: 300 };
  const B = { name: 'inside-b.csv', type: 'text/csv', size: 500 };
  const gmailFile = (f: typeof A) => ({ filename: f.name, mimeType: f.type, size: f.size });

  /** A message whose forwarded message (shown as the disposition says) comes before its own file TXT. */
  async function forwardedCase(disposition: 'inline' | 'attachment', email: string) {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: 'google',
      email,
      sizes: { messages: 3 },
      resources: ['mail'],
    });
    const sync = SYNC_CASES.find((s) => s.provider === 'google' && s.table === 'emails')!;
    const id = sandboxIds(h, sync, account.id)[1]!;
    h.sandbox.control.updateItem('google', account.id, 'messages', id, {
      forwarded: { subject: 'Quote', disposition, files: [A, B].map(gmailFile) },
      attachments: [gmailFile(TXT)],
    });
    await syncUntilCaughtUp(engineDeps(h), connectionId, 'mail');
    const rows = (await openRows(
      h.db.dataSource,
      h.deps.content,
      'email_attachments',
      'connection_id = $1 AND email_external_id = $2 ORDER BY attachment_id::int',
      [connectionId, id],
    )) as { attachment_id: string; name: string | null }[];
    const content = async (attachmentId: string) => {
      const response = await h.api(
        `/v1/connections/${connectionId}/emails/${id}/attachments/${attachmentId}/content?tenantId=t1`,
      );
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };
    return { rows, content };
  }

  it('an inline one is opened: its files are listed in its place, and each row reads its own bytes', async () => {
    const { rows, content } = await forwardedCase('inline', 'forwarded-inline@example.com');
    expect(rows.map((r) => r.name)).toEqual([A.name, B.name, TXT.name]);
    for (const [row, file] of [
      [rows[0]!, A],
      [rows[1]!, B],
      [rows[2]!, TXT],
    ] as const)
      expect(await content(row.attachment_id)).toEqual(bytesOf(file));
  });

  it('an attached one is one file (the message itself), and the files after it keep their bytes', async () => {
    const { rows, content } = await forwardedCase('attachment', 'forwarded-file@example.com');
    expect(rows.map((r) => r.name)).toEqual(['Quote.eml', TXT.name]);
    const eml = (await content(rows[0]!.attachment_id)).toString();
    expect(eml).toMatch(/^From: Forwarded Sender/);
    expect(eml).toContain('Subject: Quote');
    expect(await content(rows[1]!.attachment_id)).toEqual(bytesOf(TXT));
  });
});

test('a file name is sent as RFC 6266 asks: an ASCII fallback and the exact name', () => {
  expect(disposition('devis révisé "final".pdf')).toBe(
    `attachment; filename="devis r_vis_ _final_.pdf"; filename*=UTF-8''devis%20r%C3%A9vis%C3%A9%20%22final%22.pdf`,
  );
  expect(disposition(null)).toBe('attachment');
});
