// bench:sync's ceilings. The client ceiling (child mode): list every id, then get each at the worker's concurrency;
// nothing else. The upsert ceiling: bench:upsert's figure (rows sealed as the engine seals them, then upserted), in
// the bench's database; for the tasks resources, the same on task rows.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { emailUpsert, upsertRows } from '@crm-sync/db';
import { GOOGLE_DESCRIPTOR } from '@crm-sync/providers';
import { PageSealer } from '@crm-sync/sync-engine';
import { createContentKeys, KeyRing, type ContentKeys } from '@crm-sync/vault';
import { OAuth2Client } from 'google-auth-library';
import { gmail as gmailApi } from 'googleapis/build/src/apis/gmail';
import { Client } from 'pg';
import { emailRows, rawInsert, sealEmails, type PlainEmail } from '../lib/emailRows';
import { rawInsertTasks, taskRows, upsertTasks } from '../lib/taskRows';
import { profileArgs, ROOT, type SandboxProcess } from './processes';
import { type Dataset, now, SYNC_SCRIPT, type World } from './world';

/** The worker's own bound on messages.get in flight; the client ceiling uses the same. */
export const GMAIL_CONCURRENCY = GOOGLE_DESCRIPTOR.sync.gmailConcurrency;
/**
 * Mirrors the syncer's messages.get (providers/google/sync/gmailMessages.ts: `format=raw` and GOOGLE_FIELDS.message
 * in providers/google/fields.ts), so the wire is the same; the syncer's extra work is parsing the MIME.
 */
const MESSAGE_FIELDS = 'id,threadId,labelIds,snippet,internalDate,raw';
/** Ceiling pages: bench:upsert's default page size. */
export const CEILING_PAGE = 500;

export async function clientCeilingChild(origin: string, token: string, concurrency: number): Promise<void> {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  const gmail = gmailApi({ version: 'v1', auth, rootUrl: `${origin}/`, retry: false });
  const started = now();
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await gmail.users.messages.list({
      userId: 'me',
      maxResults: 500,
      ...(pageToken ? { pageToken } : {}),
    });
    for (const m of data.messages ?? []) if (m.id) ids.push(m.id);
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        await gmail.users.messages.get({
          userId: 'me',
          id,
          format: 'raw',
          fields: MESSAGE_FIELDS,
        });
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  process.stdout.write(JSON.stringify({ messages: ids.length, seconds }));
}

export async function clientCeiling(sb: SandboxProcess, token: string, expected: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      ...profileArgs('client-ceiling'),
      '--import',
      'tsx',
      SYNC_SCRIPT,
      '--client',
      '--origin',
      sb.urls.google,
      '--concurrency',
      String(GMAIL_CONCURRENCY),
    ],
    // The token travels in the environment, never on the command line.
    { cwd: ROOT, env: { ...process.env, BENCH_SYNC_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`client ceiling exited ${code}`);
  const result = JSON.parse(out) as { messages: number; seconds: number };
  if (result.messages !== expected)
    throw new Error(`client ceiling saw ${result.messages} messages, expected ${expected}`);
  return result.messages / result.seconds;
}

/** The rows an upsert ceiling writes: the engine's write of a page of its table, and pg's plain INSERT of it. */
interface CeilingRows<P> {
  table: 'emails' | 'tasks';
  row: (connectionId: string, i: number) => P;
  upsert: (sealer: PageSealer, owner: { keys: ContentKeys; tenantId: string }, page: P[]) => Promise<unknown>;
  raw: (client: Client, page: P[]) => Promise<unknown>;
}

/**
 * bench:upsert's figure for as many rows as `d` holds, of its kind (email rows, bench:upsert's, for mail and HubSpot;
 * task rows for tasks): sealing and the engine's upsert alternating page by page with the raw plain INSERT. Its own
 * throwaway keys: the rows are deleted at the end.
 */
export function upsertCeiling(w: World, d: Dataset): Promise<{ upsert: number; raw: number }> {
  if (d.table === 'tasks')
    return ceilingOf(w, d.size, {
      table: 'tasks',
      row: taskRows(w.seed),
      upsert: (sealer, _owner, page) => upsertTasks(w.db, sealer, page),
      raw: rawInsertTasks,
    });
  return ceilingOf<PlainEmail>(w, d.size, {
    table: 'emails',
    row: emailRows(w.seed, d.size),
    upsert: (sealer, owner, page) => upsertRows(w.db, emailUpsert, sealEmails(sealer, page, owner)),
    raw: rawInsert,
  });
}

async function ceilingOf<P>(
  w: World,
  rows: number,
  kind: CeilingRows<P>,
): Promise<{ upsert: number; raw: number }> {
  const ids = (await w.db.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
     SELECT 'bench-ceiling', 'bench', 'google', $1 || n FROM generate_series(1, 2) n RETURNING id`,
    [`ceiling-${randomBytes(4).toString('hex')}-`],
  )) as Array<{ id: string }>;
  const [upsertId, rawId] = ids.map((r) => r.id) as [string, string];
  const random = () => ({ activeKeyId: 'ceiling', keys: { ceiling: randomBytes(32) } });
  const keys = createContentKeys({ db: w.db, keyRing: new KeyRing(random()), index: random() });
  const owner = { connectionId: upsertId, tenantId: 'bench-ceiling' };
  const client = new Client({ connectionString: w.dbUrl });
  await client.connect();
  const ms = { upsert: 0, raw: 0 };
  try {
    for (let start = 0, turn = 0; start < rows; start += CEILING_PAGE, turn++) {
      const size = Math.min(CEILING_PAGE, rows - start);
      const arms = [
        {
          key: 'upsert' as const,
          id: upsertId,
          run: async (p: P[]) =>
            kind.upsert(await PageSealer.open(keys, owner), { keys, tenantId: owner.tenantId }, p),
        },
        { key: 'raw' as const, id: rawId, run: (p: P[]) => kind.raw(client, p) },
      ];
      if (turn % 2) arms.reverse();
      for (const arm of arms) {
        const page = Array.from({ length: size }, (_, i) => kind.row(arm.id, start + i));
        const began = now();
        await arm.run(page);
        ms[arm.key] += now() - began;
      }
    }
  } finally {
    await client.end();
  }
  // The ceiling's rows would otherwise sit in the table the next resource writes to.
  await w.db.query(`DELETE FROM ${kind.table} WHERE connection_id = ANY($1::uuid[])`, [[upsertId, rawId]]);
  return { upsert: rows / (ms.upsert / 1000), raw: rows / (ms.raw / 1000) };
}
