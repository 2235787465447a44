// bench:sync's syncer-only figure (child mode): the worker's own adapter (built from the same configuration) paging
// one full round with no database at all. Not judged; it splits a resource's time between fetching and committing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadConfig } from '@crm-sync/config';
import { type Provider, type Resource, type SyncPosition } from '@crm-sync/core';
import { adaptersFromConfig } from '@crm-sync/providers';
import { peakRssMb } from '../lib/rss';
import { profileArgs, ROOT } from './processes';
import { type Dataset, now, SYNC_SCRIPT, workerEnv, type World } from './world';

export async function syncerOnlyChild(
  provider: Provider,
  resource: Resource,
  token: string,
  windowDays: number,
) {
  const { adapters } = adaptersFromConfig(loadConfig().providers, 'http://127.0.0.1:9');
  const syncer = adapters.get(provider)?.sync?.[resource];
  if (!syncer) throw new Error(`no ${provider} ${resource} syncer`);
  const started = now();
  let position: SyncPosition = { mode: 'full', cursor: null, continuation: null };
  let items = 0;
  for (;;) {
    const page = await syncer.fetchPage({
      accessToken: token,
      position,
      now: new Date(),
      initialWindowDays: windowDays,
    });
    items += page.upserts.length;
    if (page.next.kind === 'caught_up') break;
    position = { ...position, continuation: page.next.continuation };
  }
  const seconds = (now() - started) / 1000;
  process.stdout.write(JSON.stringify({ items, seconds, rssMb: peakRssMb(process.pid) }));
}

export async function syncerOnly(
  w: World,
  d: Dataset,
  token: string,
): Promise<{ rate: number; rssMb: number }> {
  const child = spawn(
    process.execPath,
    [
      ...profileArgs('syncer-only'),
      '--import',
      'tsx',
      SYNC_SCRIPT,
      '--fetch',
      `${d.provider}/${d.resource}`,
      '--window-days',
      String(w.windowDays),
    ],
    {
      cwd: ROOT,
      env: { ...workerEnv(w), BENCH_SYNC_TOKEN: token, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`syncer-only run exited ${code}`);
  const result = JSON.parse(out) as { items: number; seconds: number; rssMb: number };
  if (result.items !== d.size)
    throw new Error(`syncer-only run saw ${result.items} items, expected ${d.size}`);
  return { rate: result.items / result.seconds, rssMb: result.rssMb };
}
