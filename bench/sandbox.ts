// npm run bench:sandbox -- [--size 20000] [--seconds 3] [--seed N]
//
// How fast the provider sandbox serves Gmail messages.list + messages.get, with the clients in a
// separate process (this file re-runs itself as the client). Two kinds of client:
//   googleapis  the official client, as a sync worker would use it (the consumer figure);
//   raw         a bare undici pool, cheap enough to expose what the sandbox itself can serve.
// On a shared 2-core machine the client and the server compete for CPU, so besides raw get/s the
// sandbox's own CPU time per request is measured and turned into get/s per sandbox CPU-second;
// the ratio against one googleapis client process is what says "the sandbox is not the bottleneck".
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox, type RunningSandbox } from '@crm-sync/provider-sandbox';
import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';
import { Pool } from 'undici';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20261124' },
    client: { type: 'string' },
    concurrency: { type: 'string', default: '1' },
    origin: { type: 'string' },
  },
});
const SIZE = Number(args.size);
const SECONDS = Number(args.seconds);
const SEED = Number(args.seed);

interface ClientResult {
  listPages: number;
  listSeconds: number;
  gets: number;
  getSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Client side (child process)

async function collectIds(listPage: (pageToken?: string) => Promise<{ ids: string[]; next?: string }>) {
  const ids: string[] = [];
  let pages = 0;
  const started = performance.now();
  let next: string | undefined;
  do {
    const page = await listPage(next);
    ids.push(...page.ids);
    next = page.next;
    pages += 1;
  } while (next);
  return { ids, pages, seconds: (performance.now() - started) / 1000 };
}

async function runGets(concurrency: number, get: (id: string) => Promise<void>, ids: string[]) {
  const deadline = performance.now() + SECONDS * 1000;
  let gets = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      for (let i = lane; performance.now() < deadline; i += concurrency) {
        await get(ids[i % ids.length] as string);
        gets += 1;
      }
    }),
  );
  return { gets, seconds: (performance.now() - started) / 1000 };
}

async function googleapisClient(origin: string, token: string, concurrency: number): Promise<ClientResult> {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  const gmail = google.gmail({ version: 'v1', auth, rootUrl: `${origin}/`, retry: false });
  const listed = await collectIds(async (pageToken) => {
    const { data } = await gmail.users.messages.list({
      userId: 'me',
      maxResults: 500,
      ...(pageToken ? { pageToken } : {}),
    });
    return {
      ids: (data.messages ?? []).map((m) => m.id as string),
      ...(data.nextPageToken ? { next: data.nextPageToken } : {}),
    };
  });
  const got = await runGets(
    concurrency,
    async (id) => {
      await gmail.users.messages.get({
        userId: 'me',
        id,
        format: 'metadata',
        metadataHeaders: ['From', 'Subject'],
      });
    },
    listed.ids,
  );
  return { listPages: listed.pages, listSeconds: listed.seconds, gets: got.gets, getSeconds: got.seconds };
}

async function rawClient(origin: string, token: string, concurrency: number): Promise<ClientResult> {
  const pool = new Pool(origin, { connections: concurrency });
  const headers = { authorization: `Bearer ${token}` };
  const fetchJson = async (path: string) => {
    const response = await pool.request({ method: 'GET', path, headers });
    if (response.statusCode !== 200) throw new Error(`status ${response.statusCode} for ${path}`);
    return (await response.body.json()) as { messages?: { id: string }[]; nextPageToken?: string };
  };
  const listed = await collectIds(async (pageToken) => {
    const data = await fetchJson(
      `/gmail/v1/users/me/messages?maxResults=500${pageToken ? `&pageToken=${pageToken}` : ''}`,
    );
    return {
      ids: (data.messages ?? []).map((m) => m.id),
      ...(data.nextPageToken ? { next: data.nextPageToken } : {}),
    };
  });
  const got = await runGets(
    concurrency,
    async (id) => {
      await fetchJson(
        `/gmail/v1/users/me/messages/${id}?format=metadata&metadataHeaders=From&metadataHeaders=Subject`,
      );
    },
    listed.ids,
  );
  await pool.close();
  return { listPages: listed.pages, listSeconds: listed.seconds, gets: got.gets, getSeconds: got.seconds };
}

// ---------------------------------------------------------------------------------------------
// Server side (this process)

function runClient(
  kind: 'googleapis' | 'raw',
  origin: string,
  token: string,
  concurrency: number,
): Promise<ClientResult> {
  const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const child = spawn(
    tsx,
    [
      __filename,
      '--client',
      kind,
      '--origin',
      origin,
      '--concurrency',
      String(concurrency),
      '--seconds',
      String(SECONDS),
    ],
    // The token travels in the environment, never on the command line.
    { env: { ...process.env, BENCH_SANDBOX_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as ClientResult) : reject(new Error(`client exited ${code}`)),
    );
  });
}

function issueToken(sandbox: RunningSandbox, accountId: string): string {
  const tokens = sandbox.context.tokens;
  const redirectUri = 'http://127.0.0.1:9/cb';
  const code = tokens.issueCode({
    provider: 'google',
    accountId,
    clientId: 'sandbox-client-id',
    redirectUri,
    scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    offline: false,
  });
  const result = tokens.exchangeCode({
    provider: 'google',
    code,
    clientId: 'sandbox-client-id',
    redirectUri,
  });
  if (!result.ok) throw new Error(`token exchange failed: ${result.reason}`);
  return result.grant.accessToken;
}

async function measure(
  sandbox: RunningSandbox,
  kind: 'googleapis' | 'raw',
  token: string,
  concurrency: number,
) {
  const cpuBefore = process.cpuUsage();
  const result = await runClient(kind, sandbox.urls.google, token, concurrency);
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const requests = result.listPages + result.gets;
  return {
    ...result,
    getsPerSecond: result.gets / result.getSeconds,
    listPagesPerSecond: result.listPages / result.listSeconds,
    perServerCpuSecond: requests / serverCpuSeconds,
  };
}

async function main(): Promise<void> {
  for (const [name, value] of Object.entries({ size: SIZE, seconds: SECONDS, seed: SEED })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  }
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const sandbox = await startSandbox({ accountDefaults: { accessTokenTtlSeconds: 86_400 } });
  const account = sandbox.control.createAccount({
    provider: 'google',
    email: 'bench@example.com',
    seed: SEED,
    sizes: { messages: SIZE },
  });
  const token = issueToken(sandbox, account.id);
  console.log(`seed ${SEED}, mailbox ${SIZE} messages, ${SECONDS}s per run, clients in a separate process`);

  const consumer: number[] = [];
  for (const concurrency of [1, 8, 32]) {
    const r = await measure(sandbox, 'googleapis', token, concurrency);
    consumer.push(r.getsPerSecond);
    console.log(
      `googleapis c=${concurrency}: messages.get ${r.getsPerSecond.toFixed(0)}/s, messages.list ${r.listPagesPerSecond.toFixed(0)} pages/s (500 ids), sandbox ${r.perServerCpuSecond.toFixed(0)} req per sandbox CPU-s`,
    );
  }
  const raw = await measure(sandbox, 'raw', token, 32);
  console.log(
    `raw undici c=32: messages.get ${raw.getsPerSecond.toFixed(0)}/s served, sandbox ${raw.perServerCpuSecond.toFixed(0)} req per sandbox CPU-s`,
  );
  clearInterval(sampler);
  await sandbox.close();

  const bestConsumer = Math.max(...consumer);
  console.log(
    `ratio ${(raw.getsPerSecond / bestConsumer).toFixed(2)} (get/s served to a raw client ÷ get/s one googleapis process consumes)`,
  );
  console.log(
    `ratio ${(raw.perServerCpuSecond / bestConsumer).toFixed(2)} (sandbox req per CPU-second ÷ get/s one googleapis process consumes; target ≥ 5)`,
  );
  console.log(`peak RSS of the sandbox process ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
  console.log(
    `summary: sandbox serves ${raw.perServerCpuSecond.toFixed(0)} req per CPU-second vs ${bestConsumer.toFixed(0)} get/s consumed by one googleapis process`,
  );
}

if (args.client === 'googleapis' || args.client === 'raw') {
  const token = process.env.BENCH_SANDBOX_TOKEN;
  if (!token || !args.origin) throw new Error('client mode needs --origin and BENCH_SANDBOX_TOKEN');
  const run = args.client === 'raw' ? rawClient : googleapisClient;
  run(args.origin, token, Number(args.concurrency)).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
} else {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
