// npm run bench:transport -- [--requests 6000] [--concurrency 25] [--bytes 12000]
//
// What one HTTP request costs the client process, by transport (bench/README.md, "Gmail: the transport"): Node's
// global fetch (undici) against node-fetch, the transport gaxios (and so googleapis) uses by default in Node
// (docs/providers/clients.md#googleapis-transport). A local server in a process of its own answers every request
// with the same JSON body (about a Gmail `format=raw` message); the bench process fetches and parses it,
// `--concurrency` at a time as the Gmail syncer does, the two transports alternating, and prints its own CPU per
// request (process.cpuUsage) and requests per second.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '25' },
    bytes: { type: 'string', default: '12000' },
    serve: { type: 'boolean', default: false },
  },
});

type Fetch = (url: string) => Promise<{ json(): Promise<unknown> }>;

async function serve(bytes: number): Promise<void> {
  const body = JSON.stringify({ id: 'm1', raw: 'A'.repeat(bytes) });
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') process.stdout.write(`${address.port}\n`);
  });
  await once(process, 'SIGTERM');
  server.close();
}

async function measure(send: Fetch, url: string, requests: number, concurrency: number) {
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) await (await send(url)).json();
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    perSecond: requests / ((performance.now() - started) / 1000),
    cpuMicros: (used.user + used.system) / requests,
  };
}

async function main(): Promise<void> {
  const [requests, concurrency] = [Number(args.requests), Number(args.concurrency)];
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', __filename, '--serve', '--bytes', String(args.bytes)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [port] = (await once(server.stdout, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${port.toString().trim()}/`;
  // The node-fetch gaxios itself resolves (its own v3, ESM only, imported as gaxios does), not the tree's v2.
  const fromGaxios = createRequire(require.resolve('gaxios')).resolve('node-fetch');
  const nodeFetch = ((await import(pathToFileURL(fromGaxios).href)) as { default: Fetch }).default;
  const arms: Array<[string, Fetch]> = [
    ['global-fetch', (u) => fetch(u)],
    ['node-fetch', nodeFetch],
  ];
  console.log(
    `${requests} requests, ${concurrency} in flight; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const cpu: Record<string, number[]> = {};
  for (let round = 0; round < 3; round += 1)
    for (const [name, send] of round % 2 ? [...arms].reverse() : arms) {
      const r = await measure(send, url, requests, concurrency);
      (cpu[name] ??= []).push(r.cpuMicros);
      console.log(`${name} cpu-us/request ${Math.round(r.cpuMicros)} requests/s ${Math.round(r.perSecond)}`);
    }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `ratio cpu global-fetch ÷ node-fetch ${(mean(cpu['global-fetch']!) / mean(cpu['node-fetch']!)).toFixed(2)}`,
  );
  server.kill('SIGTERM');
}

(args.serve ? serve(Number(args.bytes)) : main()).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
