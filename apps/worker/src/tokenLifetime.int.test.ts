import { exited, waitFor } from '@crm-sync/testing';
import type { ChildProcess } from 'node:child_process';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { SYNC_QUEUES } from '@crm-sync/queue';
import { Scheduler } from '@crm-sync/scheduling';
import {
  connectSandboxAccount,
  sandboxSnapshot,
  snapshotChecksum,
  SYNC_CASES,
  tableSnapshot,
} from '@crm-sync/sync-engine/testing';
import { sizeFromEnv } from '../test/cases';
import { ChildWorkerEnv } from '../test/childWorker';

// Microsoft rotates refresh tokens on every use: the hardest case for never losing one.
const c = SYNC_CASES.find((x) => x.provider === 'microsoft' && x.resource === 'mail')!;
// 20 s in `npm test`; `npm run test:soak` runs it for 300 s.
const RUN_SECONDS = sizeFromEnv('TOKEN_LIFETIME_TEST_SECONDS', 20);
const TOKEN_SECONDS = 5;

let h: ConnectionsHarness;
let worker: (ChildProcess & { opsPort: number }) | undefined;
let scheduler: Scheduler | undefined;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(async () => {
  await scheduler?.stop();
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  if (worker) await exited(worker);
  await h.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sandbox calls to Graph (not the token endpoint) for the account, by token state. */
function graphCalls(accountId: string): Record<string, number> {
  const byState: Record<string, number> = {};
  for (const e of h.sandbox.control.counters()) {
    if (e.provider !== 'microsoft' || e.accountId !== accountId || e.route.startsWith('identity.')) continue;
    byState[e.tokenState] = (byState[e.tokenState] ?? 0) + e.count;
  }
  return byState;
}

it(
  `keeps syncing for ${RUN_SECONDS} s on ${TOKEN_SECONDS}-second tokens without one call made with an expired token, ` +
    'then stops for good once the grant is revoked',
  async () => {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: 'microsoft',
      email: 'short-lived@example.com',
      sizes: { messages: 300 },
      resources: ['mail'],
      settings: { accessTokenTtlSeconds: TOKEN_SECONDS, refreshRotation: 'rotate' },
    });
    const world = new ChildWorkerEnv(h, {
      SYNC_SLICE_MS: '500',
      SYNC_INCREMENTAL_INTERVAL_MS: '1000',
      SYNC_INTERVAL_JITTER_RATIO: '0',
      TOKEN_REFRESH_MARGIN_MS: '2500',
    });
    await world.handOver(connectionId);
    worker = await world.start();
    scheduler = new Scheduler({
      db: h.db.dataSource,
      producer: h.deps.producer,
      batchSize: 100,
      intervals: { defaultMs: 1000, jitterRatio: 0 },
      tickMs: 250,
      refreshMarginMs: 2500,
      auditIntervalMs: 0,
      expiryWarnings: { rules: new Map(), leadMs: 0 },
      logger: {
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
        debug: () => undefined,
      },
    });
    scheduler.start();

    const rounds = new Set<number>();
    for (let second = 0; second < RUN_SECONDS; second += 1) {
      if (second % 3 === 0) h.sandbox.control.addItem('microsoft', account.id, 'messages', {});
      const [state] = await h.db.dataSource.query(
        `SELECT last_success_at FROM sync_states WHERE connection_id = $1 AND resource = 'mail'`,
        [connectionId],
      );
      if (state.last_success_at) rounds.add(state.last_success_at.getTime());
      await sleep(1_000);
    }
    await waitFor(
      async () =>
        (await tableSnapshot(h, c, connectionId, c.column, world.content)).size ===
        sandboxSnapshot(h, c, account.id).size,
      { what: 'the last additions synced', timeoutMs: 15_000 },
    );
    expect(snapshotChecksum(await tableSnapshot(h, c, connectionId, c.column, world.content))).toBe(
      snapshotChecksum(sandboxSnapshot(h, c, account.id)),
    );
    const calls = graphCalls(account.id);
    expect(calls.valid).toBeGreaterThan(RUN_SECONDS / 2);
    expect(calls.expired ?? 0).toBe(0);
    // Many rounds completed, and the tokens were replaced many times along the way.
    expect(rounds.size).toBeGreaterThan(RUN_SECONDS / 4);
    const [credential] = await h.db.dataSource.query(
      `SELECT version FROM credentials WHERE connection_id = $1`,
      [connectionId],
    );
    expect(credential.version).toBeGreaterThanOrEqual(Math.floor(RUN_SECONDS / TOKEN_SECONDS) - 2);

    // The user revokes access at Microsoft: the next call or refresh finds out, then nothing more is attempted.
    h.sandbox.control.revokeTokens('microsoft', account.id);
    await waitFor(
      async () =>
        (await h.db.dataSource.query(`SELECT status FROM connections WHERE id = $1`, [connectionId]))[0]
          .status === 'needs_reauth',
      { what: 'the revocation to be noticed', timeoutMs: 15_000 },
    );
    const afterRevocation = graphCalls(account.id);
    expect(afterRevocation.revoked ?? 0).toBeLessThanOrEqual(1);
    await sleep(3_000);
    expect(graphCalls(account.id)).toEqual(afterRevocation);
    expect(
      await h.db.dataSource.query(`SELECT 1 FROM credentials WHERE connection_id = $1`, [connectionId]),
    ).toEqual([]);
    const pending = await h.deps.producer
      .queue(SYNC_QUEUES.microsoft)
      .getJobs(['waiting', 'delayed', 'active']);
    expect(pending.filter((j) => j.data.connectionId === connectionId)).toEqual([]);
  },
  (RUN_SECONDS + 60) * 1_000,
);
