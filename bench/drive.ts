// npm run bench:drive -- [--mb 200] [--runs 3] [--seed 20261203]
//
// Drive content through connect-api (issue 23, docs/drive.md#content): connect-api runs as its own process
// (apps/connect-api/src/main.ts) over a temporary database and Redis prefix, the provider sandbox in this process
// serving one selected file of --mb MB. The same bytes are read straight from the sandbox with the connection's
// token (the ceiling) and through GET /v1/connections/{id}/files/{fileId}/content, alternating run by run; the
// rate is the better run of each. connect-api's RSS growth is its peak resident set (VmHWM) over its resident set
// before the first download; its CPU time per 100 MB relayed is printed too (load hardly moves it). Targets: growth
// < 50 MB, rate ≥ 0.7 of the direct one.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import { appsUnderTest } from './lib/appsUnderTest';
import { cpuMs } from './lib/cpu';
import { peakRssMb } from './lib/rss';

const { values: args } = parseArgs({
  options: {
    mb: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20261203' },
  },
});
const BYTES = Math.round(Number(args.mb) * 1024 * 1024);
const RUNS = Number(args.runs);
const SEED = Number(args.seed);
const SECRET = randomBytes(24).toString('hex');

/** Current resident set of a process (VmRSS), in MB. */
const rssMb = (pid: number) =>
  Math.round(Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024);

/** Reads a download to its end without holding it; returns MB/s. */
async function rate(call: () => Promise<Response>): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await call();
  if (response.status !== 200 || !response.body) throw new Error(`download answered ${response.status}`);
  let read = 0;
  for await (const chunk of response.body) read += (chunk as Uint8Array).length;
  if (read !== BYTES) throw new Error(`read ${read} bytes, expected ${BYTES}`);
  return BYTES / 1024 / 1024 / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function main(): Promise<void> {
  if (!(BYTES > 0) || !(RUNS > 0)) throw new Error('--mb and --runs must be > 0');
  const world = await appsUnderTest('drive');
  const { h, baseUrl } = world;
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: `drive-bench-${SEED}@example.com`,
    resources: ['files'],
    sizes: { drivefiles: 1 },
    seed: SEED,
  });
  const fileId = h.sandbox.control.addItem('google', account.id, 'drivefiles', {
    name: 'big.bin',
    mimeType: 'application/octet-stream',
    size: BYTES,
    openedWith: DEFAULT_CLIENT.clientId,
  }).id;
  const stored = (await h.deps.credentials.load(connectionId))!;
  await world.reseal(connectionId);
  const [app] = await world.start(['connect-api'], { SERVICE_TOKENS: `bench:${SECRET}:*` });
  try {
    const auth = { authorization: `Bearer ${SECRET}` };
    const registered = await fetch(`${baseUrl}/v1/connections/${connectionId}/files`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: 't1', fileIds: [fileId] }),
    });
    if (registered.status !== 200) throw new Error(`registering the file answered ${registered.status}`);
    const direct = () =>
      fetch(`${h.sandbox.urls.google}/drive/v3/files/${fileId}?alt=media`, {
        headers: { authorization: `Bearer ${stored.tokens.accessToken}` },
      });
    const through = () =>
      fetch(`${baseUrl}/v1/connections/${connectionId}/files/${fileId}/content?tenantId=t1`, {
        headers: auth,
      });
    const pid = app.child.pid!;
    const before = rssMb(pid);
    const directRates: number[] = [];
    const throughRates: number[] = [];
    let relayCpuMs = 0;
    const relayed = async () => {
      const cpuBefore = cpuMs(pid);
      throughRates.push(await rate(through));
      relayCpuMs += cpuMs(pid) - cpuBefore;
    };
    for (let i = 0; i < RUNS; i += 1) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      if (i % 2 === 0) {
        directRates.push(await rate(direct));
        await relayed();
      } else {
        await relayed();
        directRates.push(await rate(direct));
      }
    }
    const growth = peakRssMb(pid) - before;
    const best = (rates: number[]) => Math.max(...rates);
    const ratio = best(throughRates) / best(directRates);
    console.log(
      `file ${args.mb} MB, ${RUNS} runs each, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(`direct MB/s ${directRates.map((r) => r.toFixed(0)).join(' ')}`);
    console.log(`through connect-api MB/s ${throughRates.map((r) => r.toFixed(0)).join(' ')}`);
    // The relay's own cost, which the machine's load hardly moves (the rates above do).
    console.log(
      `connect-api cpu ms per 100 MB ${((relayCpuMs / (RUNS * BYTES)) * 100 * 1024 * 1024).toFixed(0)} (user + system)`,
    );
    console.log(`ratio ${ratio.toFixed(2)} (best through ÷ best direct; target ≥ 0.7)`);
    console.log(
      `connect-api rss-mb before ${before}, peak ${peakRssMb(pid)}, growth ${growth} (target < 50)`,
    );
    console.log(
      `summary: ${ratio >= 0.7 ? 'meets' : 'misses'} the rate target, ${growth < 50 ? 'meets' : 'misses'} the memory target`,
    );
  } finally {
    await world.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
