// bench:sync's two modes: unthrottled (each resource against its ceiling) and --quota (Gmail under its quota).
import { type ChildProcess } from 'node:child_process';
import { peakRssMb } from '../lib/rss';
import { CEILING_PAGE, clientCeiling, GMAIL_CONCURRENCY, upsertCeiling } from './ceilings';
import { control } from './processes';
import { syncerOnly } from './syncerOnly';
import {
  accessTokenOf,
  connect,
  type Dataset,
  failedJobs,
  type SyncRun,
  syncToCompletion,
  type World,
} from './world';

export interface Judged {
  name: string;
  ok: boolean;
}

/** What a mode judged, and its figures for the closing one-line summary, in the order measured. */
export interface ModeResult {
  judged: Judged[];
  summary: string[];
}

/** Gmail's per-user quota: 15,000 units a minute; messages.get and messages.list cost 5, getProfile 1. */
export const GMAIL_UNITS_PER_SECOND = 250;
const GMAIL_UNITS: Record<string, number> = {
  'gmail.users.getProfile': 1,
  'gmail.messages.list': 5,
  'gmail.messages.get': 5,
  'gmail.users.history.list': 2,
};

const fmt = (n: number) => n.toFixed(2);

function timeoutFor(rows: number, perSecondFloor: number): number {
  return 60_000 + (rows / perSecondFloor) * 1000;
}

/** A number either way, so a script can read it: when page one never landed, the whole wait (a lower bound). */
function first500(run: SyncRun): string {
  return run.first500Ms === undefined
    ? `${Math.round(run.seconds * 1000)} (not reached: no page committed by the deadline)`
    : String(Math.round(run.first500Ms));
}

function checkRows(d: Dataset, run: SyncRun, judged: Judged[]): void {
  const ok = run.caughtUp && run.rows === d.size;
  console.log(
    `check ${d.name} rows ${run.rows} of ${d.size}${run.caughtUp ? '' : ' (NOT caught up before the deadline)'} ${ok ? 'ok' : 'WRONG'}`,
  );
  judged.push({ name: `${d.name}-rows`, ok });
}

export async function unthrottled(w: World, worker: ChildProcess, sets: Dataset[]): Promise<ModeResult> {
  const judged: Judged[] = [];
  const summary: string[] = [];
  for (const d of sets)
    if (d.name === 'gmail') await gmailVsClient(w, worker, d, judged, summary);
    else await pagedVsUpsert(w, worker, d, judged, summary);
  const failed = (await Promise.all(sets.map((d) => failedJobs(w, d)))).reduce((a, b) => a + b, 0);
  console.log(`failed-jobs ${failed}`);
  judged.push({ name: 'failed-jobs', ok: failed === 0 });
  return { judged, summary };
}

/** Gmail: the client ceiling right before and right after the worker's figure, on the same messages. */
async function gmailVsClient(
  w: World,
  worker: ChildProcess,
  gmail: Dataset,
  judged: Judged[],
  summary: string[],
): Promise<void> {
  const g = await connect(w, gmail, 'unthrottled');
  const token = await accessTokenOf(w, g.connectionId);
  const before = await clientCeiling(w.sb, token, gmail.size);
  const run = await syncToCompletion(w, gmail, g.connectionId, timeoutFor(gmail.size, 100));
  const after = await clientCeiling(w.sb, token, gmail.size);
  const client = (before + after) / 2;
  const { rate: gmailSyncer, rssMb: gmailSyncerRss } = await syncerOnly(w, gmail, token);
  const gmailRate = run.rows / run.seconds;
  console.log(
    `client-ceiling msgs/s ${Math.round(client)} (googleapis list + get, c=${GMAIL_CONCURRENCY}, own process; before ${Math.round(before)}, after ${Math.round(after)})`,
  );
  console.log(`gmail records/s ${Math.round(gmailRate)} (${run.rows} rows in ${fmt(run.seconds)} s)`);
  console.log(
    `gmail syncer-only items/s ${Math.round(gmailSyncer)} (the worker's Gmail syncer paging the round with no database, own process, peak rss ${gmailSyncerRss} MB)`,
  );
  const gmailRatio = gmailRate / client;
  console.log(`ratio gmail-vs-client ${fmt(gmailRatio)} (target >= 0.70)`);
  console.log(`first-500-ms ${first500(run)} (unthrottled)`);
  checkRows(gmail, run, judged);
  judged.push({ name: 'gmail-vs-client', ok: gmailRatio >= 0.7 });
  summary.push(`gmail ${fmt(gmailRatio)} of client`);
  console.log(`worker peak rss after gmail ${peakRssMb(worker.pid!)} MB`);
}

/** Page-based resources: the upsert ceiling right before and after each. */
async function pagedVsUpsert(
  w: World,
  worker: ChildProcess,
  d: Dataset,
  judged: Judged[],
  summary: string[],
): Promise<void> {
  const c = await connect(w, d, 'unthrottled');
  const ceilingBefore = await upsertCeiling(w, d);
  const r = await syncToCompletion(w, d, c.connectionId, timeoutFor(d.size, 100));
  const ceilingAfter = await upsertCeiling(w, d);
  const ceiling = (ceilingBefore.upsert + ceilingAfter.upsert) / 2;
  // A second account of the same data: the sandbox keeps HubSpot's 110 requests per 10 s per account, which the
  // worker's round has just used.
  const fresh = await connect(w, d, 'syncer-only');
  const { rate: fetchOnly, rssMb: fetchRss } = await syncerOnly(
    w,
    d,
    await accessTokenOf(w, fresh.connectionId),
  );
  const raw = (ceilingBefore.raw + ceilingAfter.raw) / 2;
  const rate = r.rows / r.seconds;
  console.log(
    `upsert-ceiling rows/s ${Math.round(ceiling)} (upsertRows, pages of ${CEILING_PAGE}; before ${Math.round(ceilingBefore.upsert)}, after ${Math.round(ceilingAfter.upsert)}; raw INSERT ${Math.round(raw)})`,
  );
  console.log(`${d.name} records/s ${Math.round(rate)} (${r.rows} rows in ${fmt(r.seconds)} s)`);
  // If fetching and committing a page were overlapped instead of taking turns, the round would go at the slower.
  const serial = 1 / (1 / fetchOnly + 1 / ceiling);
  console.log(
    `${d.name} syncer-only items/s ${Math.round(fetchOnly)} (no database, own process, peak rss ${fetchRss} MB); fetch-then-commit bound ${Math.round(serial)}/s = ${fmt(serial / ceiling)} of ceiling, overlapped bound ${Math.round(Math.min(fetchOnly, ceiling))}/s`,
  );
  const ratio = rate / ceiling;
  console.log(`ratio ${d.name}-vs-upsert ${fmt(ratio)} (target >= 0.40)`);
  checkRows(d, r, judged);
  judged.push({ name: `${d.name}-vs-upsert`, ok: ratio >= 0.4 });
  summary.push(`${d.name} ${fmt(ratio)} of upsert`);
  console.log(`worker peak rss after ${d.name} ${peakRssMb(worker.pid!)} MB`);
}

export async function quota(w: World, mailbox: Dataset): Promise<ModeResult> {
  const judged: Judged[] = [];
  const c = await connect(w, mailbox, 'quota');
  await control(w.sb, 'PUT', '/quota', {
    provider: 'google',
    accountId: c.accountId,
    unitsPerSecond: GMAIL_UNITS_PER_SECOND,
    status: 429,
  });
  await control(w.sb, 'DELETE', '/counters');
  // A perfect worker needs size * 5 units at 250 units/s; allow twice that and a minute.
  const ideal = (mailbox.size * GMAIL_UNITS['gmail.messages.get']!) / GMAIL_UNITS_PER_SECOND;
  const run = await syncToCompletion(w, mailbox, c.connectionId, 60_000 + ideal * 2000);
  const { counters } = await control<{
    counters: Array<{
      provider: string;
      route: string;
      accountId: string | null;
      status: number;
      count: number;
    }>;
  }>(w.sb, 'GET', '/counters');
  const mine = counters.filter((e) => e.provider === 'google' && e.accountId === c.accountId);
  const units = mine
    .filter((e) => e.status >= 200 && e.status < 300)
    .reduce((sum, e) => sum + (GMAIL_UNITS[e.route] ?? 0) * e.count, 0);
  const refused = mine.filter((e) => e.status === 429).reduce((sum, e) => sum + e.count, 0);
  const gets = mine
    .filter((e) => e.route === 'gmail.messages.get' && e.status === 200)
    .reduce((sum, e) => sum + e.count, 0);
  const utilisation = units / (GMAIL_UNITS_PER_SECOND * run.seconds);
  // Gets whose message never reached the table: a failed page's gets are fetched again on the next attempt.
  const wasted = Math.max(0, gets - run.rows);
  const failed = await failedJobs(w, mailbox);
  console.log(
    `quota: ${units} units served in ${fmt(run.seconds)} s (${gets} messages.get for ${mailbox.size} messages, ${wasted} of them wasted; ${refused} answered 429); ideal ${fmt(ideal)} s`,
  );
  console.log(
    `gmail records/s ${Math.round(run.rows / run.seconds)} under quota (ideal ${GMAIL_UNITS_PER_SECOND / 5})`,
  );
  console.log(`ratio quota-utilisation ${fmt(utilisation)} (target >= 0.90)`);
  console.log(`first-500-ms ${first500(run)} (target < 15000)`);
  console.log(`failed-jobs ${failed} (target 0)`);
  checkRows(mailbox, run, judged);
  judged.push({ name: 'quota-utilisation', ok: utilisation >= 0.9 });
  judged.push({ name: 'first-500-ms', ok: (run.first500Ms ?? Infinity) < 15_000 });
  judged.push({ name: 'failed-jobs', ok: failed === 0 });
  return { judged, summary: [`quota utilisation ${fmt(utilisation)}`, `first 500 in ${first500(run)} ms`] };
}
