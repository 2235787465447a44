import { setTimeout as sleep } from 'node:timers/promises';
import { createConnectionsHarness, openRows, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Provider } from '@crm-sync/core';
import { syncStates } from '@crm-sync/sync-states';
import { connectSandboxAccount, deleteAtProvider, engineDeps, sandboxIds, SYNC_CASES } from '../../test';
import { runSlice } from './runSlice';

// Mail content end to end (issue 18): the official clients against the sandbox, the engine, real Postgres. Bodies,
// attachment rows kept in step with their email, the body cap, threading and direction.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const TWENTY_MB = 20 * 1024 * 1024;
const CAP = 262_144;

async function finishRound(connectionId: string) {
  for (let i = 0; i < 100; i += 1) {
    const outcome = await runSlice(engineDeps(h), { connectionId, resource: 'mail', budgetMs: 60_000 });
    if (outcome.kind === 'caught_up') return outcome;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${outcome.kind}`);
  }
  throw new Error('round did not complete');
}

async function nextRound(connectionId: string) {
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['mail'], full: false });
  return finishRound(connectionId);
}

interface EmailRow {
  external_id: string;
  thread_id: string | null;
  body_text: string | null;
  body_html: string | null;
  unique_body: string | null;
  body_truncated: boolean;
  message_id: string | null;
  in_reply_to: string | null;
  reference_ids: string[];
  direction: string;
  deleted_at: Date | null;
}

const emails = async (connectionId: string) =>
  (await openRows(h.db.dataSource, h.deps.content, 'emails', 'connection_id = $1', [
    connectionId,
  ])) as unknown as EmailRow[];

const attachmentsOf = async (connectionId: string, emailId: string) =>
  (
    await openRows(
      h.db.dataSource,
      h.deps.content,
      'email_attachments',
      'connection_id = $1 AND email_external_id = $2',
      [connectionId, emailId],
    )
  )
    .map((a) => ({
      name: a.name as string,
      content_type: a.content_type as string,
      size: Number(a.size),
      is_inline: a.is_inline as boolean,
      content_id: a.content_id as string | null,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** How each provider's sandbox is told to make the messages under test, and what its rows then say. */
interface MailCase {
  provider: Provider;
  /** html + text bodies, an inline image, two attachments, and for Gmail a text part in ISO-8859-1 (QP). */
  multipart: Record<string, unknown>;
  /** The same message with one attachment fewer. */
  oneFileFewer: Record<string, unknown>;
  big: Record<string, unknown>;
  sent: (accountEmail: string) => Record<string, unknown>;
  /** Text the decoded body holds; `html` where the provider serves one body type (Graph: the one `Prefer` asks). */
  text: string;
  bodies: 'text and html' | 'html';
  unique: boolean;
  inlineContentId: string | null;
}

const PDF = { name: 'quote.pdf', type: 'application/pdf', size: 40_000 };
const TXT = { name: 'notes.txt', type: 'text/plain', size: 900 };
const PNG = { name: 'logo.png', type: 'image/png', size: 3_000 };

const gmailFile = (f: typeof PDF) => ({ filename: f.name, mimeType: f.type, size: f.size });
const graphFile = (f: typeof PDF, contentId: string | null = null) => ({
  name: f.name,
  contentType: f.type,
  size: f.size,
  contentId,
});
const graphHtml = (text: string) =>
  `<html><body><div>${text}<img src="cid:logo@crm.example"></div></body></html>`;

const CASES: MailCase[] = [
  {
    provider: 'google',
    multipart: {
      body: 'Voilà le devis révisé.\nÀ bientôt',
      textCharset: 'ISO-8859-1',
      html: true,
      inlineImage: gmailFile(PNG),
      attachments: [gmailFile(PDF), gmailFile(TXT)],
    },
    oneFileFewer: { attachments: [gmailFile(PDF)] },
    big: { body: 'x'.repeat(TWENTY_MB), html: false, attachments: [] },
    sent: () => ({ labelIds: ['SENT'] }),
    text: 'Voilà le devis révisé.\nÀ bientôt',
    bodies: 'text and html',
    unique: false,
    inlineContentId: 'generated',
  },
  {
    provider: 'microsoft',
    multipart: {
      body: { contentType: 'html', content: graphHtml('Voilà le devis révisé.') },
      uniqueBody: { contentType: 'html', content: graphHtml('Voilà') },
      hasAttachments: true,
      files: [graphFile(PNG, 'logo@crm.example'), graphFile(PDF), graphFile(TXT)],
    },
    oneFileFewer: { files: [graphFile(PNG, 'logo@crm.example'), graphFile(PDF)] },
    big: { body: { contentType: 'html', content: `<p>${'x'.repeat(TWENTY_MB)}</p>` } },
    sent: (email) => ({ from: { emailAddress: { name: 'Me', address: email } } }),
    text: 'Voilà le devis révisé.',
    bodies: 'html',
    unique: true,
    // Graph refuses contentId in a $select on attachments; without it the content would come too.
    inlineContentId: null,
  },
];

describe.each(CASES.map((c) => [c.provider, c] as const))('%s mail content', (provider, c) => {
  const sync = SYNC_CASES.find((s) => s.provider === provider && s.table === 'emails')!;

  it('bodies, three attachment rows in step with their email, the 20 MB cap, threads and direction', async () => {
    const email = `content-${provider}@example.com`;
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider,
      email,
      sizes: { messages: 40 },
      resources: ['mail'],
    });
    const wire = (id: string) => sync.wireId?.(id, account) ?? id;
    const ids = sandboxIds(h, sync, account.id);
    const [multipart, big, sent] = [ids[3]!, ids[5]!, ids[7]!];
    const update = (id: string, fields: Record<string, unknown>) =>
      h.sandbox.control.updateItem(provider, account.id, 'messages', id, fields);
    update(multipart, c.multipart);
    update(big, c.big);
    update(sent, c.sent(email));
    await finishRound(connectionId);

    const rows = new Map((await emails(connectionId)).map((r) => [r.external_id, r]));
    const rich = rows.get(wire(multipart))!;
    if (c.bodies === 'html') expect(rich.body_text).toBeNull();
    else expect(rich.body_text).toContain(c.text);
    expect(rich.body_html).toContain('cid:');
    expect(rich.body_html).toContain('Voilà le devis révisé.');
    if (c.unique) expect(rich.unique_body).toContain('Voilà');
    else expect(rich.unique_body).toBeNull();
    const files = await attachmentsOf(connectionId, wire(multipart));
    expect(files.map((f) => [f.name, f.content_type, f.size, f.is_inline])).toEqual([
      ['logo.png', 'image/png', PNG.size, true],
      ['notes.txt', 'text/plain', TXT.size, false],
      ['quote.pdf', 'application/pdf', PDF.size, false],
    ]);
    if (c.inlineContentId === null) expect(files[0]?.content_id).toBeNull();
    else expect(files[0]?.content_id).toEqual(expect.any(String));

    const capped = rows.get(wire(big))!;
    expect(capped.body_truncated).toBe(true);
    expect(Buffer.byteLength(capped.body_text ?? capped.body_html ?? '')).toBeLessThanOrEqual(CAP);
    expect(Buffer.byteLength(capped.body_text ?? capped.body_html ?? '')).toBeGreaterThan(CAP - 16);
    expect(rich.body_truncated).toBe(false);

    expect(rows.get(wire(sent))?.direction).toBe('sent');
    expect(rows.get(wire(ids[8]!))?.direction).toBe('received');

    // Replies: In-Reply-To names a message of the same thread, References ends with it.
    const byMessageId = new Map([...rows.values()].map((r) => [r.message_id, r]));
    const replies = [...rows.values()].filter((r) => r.in_reply_to !== null);
    expect(replies.length).toBeGreaterThan(3);
    for (const reply of replies) {
      const parent = byMessageId.get(reply.in_reply_to);
      expect(parent?.thread_id).toBe(reply.thread_id);
      expect(reply.reference_ids[reply.reference_ids.length - 1]).toBe(reply.in_reply_to);
    }

    // A changed message gets its attachment rows rewritten; a deleted one loses them.
    update(multipart, c.oneFileFewer);
    await nextRound(connectionId);
    expect((await attachmentsOf(connectionId, wire(multipart))).map((f) => f.name)).toEqual([
      'logo.png',
      'quote.pdf',
    ]);
    deleteAtProvider(h, sync, account.id, multipart);
    await nextRound(connectionId);
    expect(
      (await emails(connectionId)).find((r) => r.external_id === wire(multipart))?.deleted_at,
    ).not.toBeNull();
    expect(await attachmentsOf(connectionId, wire(multipart))).toEqual([]);
  });
});

describe('microsoft attachment listings through $batch', () => {
  it('a throttled listing inside a batch throttles the page with its own Retry-After; the next slice lists the files', async () => {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: 'microsoft',
      email: 'batched@example.com',
      sizes: { messages: 40 },
      resources: ['mail'],
    });
    h.sandbox.control.resetCounters();
    h.sandbox.control.addFault({
      provider: 'microsoft',
      accountId: account.id,
      route: 'graph.messages.attachments.list',
      action: { kind: 'status', status: 429, retryAfterSeconds: 2 },
      next: 1,
    });
    const outcome = await runSlice(engineDeps(h), { connectionId, resource: 'mail', budgetMs: 60_000 });
    expect(outcome).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000 });
    // The worker runs the slice again once the wait is over (it holds for every caller: ConnectionThrottle).
    await sleep(2000);
    await finishRound(connectionId);
    const [{ n }] = (await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM email_attachments WHERE connection_id = $1`,
      [connectionId],
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    // Listings went in batches: far fewer calls than messages with files.
    const calls = (route: string) =>
      h.sandbox.control
        .counters()
        .filter((c) => c.route === route && c.accountId === account.id)
        .reduce((sum, c) => sum + c.count, 0);
    expect(calls('graph.batch')).toBeLessThan(calls('graph.messages.attachments.list'));
  });
});
