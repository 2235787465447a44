// The bench's arguments and the figures every phase shares (bench/scheduler/main.ts says what it measures).
import { parseArgs } from 'node:util';
import type { Provider } from '@crm-sync/core';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    interval: { type: 'string', default: '60' },
    seconds: { type: 'string' },
    seed: { type: 'string', default: '20261124' },
    mode: { type: 'string', default: 'all' },
  },
});

export const SIZE = Number(args.size);
export const INTERVAL = Number(args.interval);
export const SECONDS = Number(args.seconds ?? 2 * INTERVAL);
export const SEED = Number(args.seed);
export const MODE = args.mode;
/** The load: 4 resources per connection every 300 s, whatever --interval scales the steady phase to. */
export const TARGET_RATE = (SIZE * 4) / 300;
/** Batches of `dispatchDueSyncs` per catch-up chunk; the ceilings add as many jobs between two chunks. */
export const CHUNK_BATCHES = 10;
/** The raw-addBulk ceiling's call size, the one bench/README.md's reference ceiling was measured with. */
export const ADD_BULK = 1_000;
/** Steady-state rows are due from this many seconds after seeding, so seeding and setup never add lag. */
export const LEAD_SECONDS = 3;
/**
 * Connections cycle through this mix (the issue does not say; a Google/Microsoft-heavy fleet). Every provider
 * offers 3 resources, so the "100k × 4" (400k sync states) is seeded as 133,334 connections × 3.
 */
export const PROVIDER_MIX: Provider[] = ['google', 'google', 'microsoft', 'microsoft', 'hubspot'];

export const fmt = (n: number, digits = 2) => n.toFixed(digits);
export const mb = (bytes: number) => fmt(bytes / 2 ** 20, 1);
export const cpuMs = () => {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
};

let peakRss = process.memoryUsage().rss;
/** Samples this process's RSS into the peak the bench prints. */
export const notePeakRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
export const peakRssBytes = () => peakRss;
