import { exited, waitFor } from '@crm-sync/testing';
import type { ChildProcess } from 'node:child_process';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import {
  connectSandboxAccount,
  duplicateRows,
  sandboxSnapshot,
  snapshotChecksum,
  tableSnapshot,
} from '@crm-sync/sync-engine/testing';
import { enqueueSync, sizeFromEnv, workerCase } from '../test/cases';
import { ChildWorkerEnv } from '../test/childWorker';

const c = workerCase();
const SIZE = sizeFromEnv('CRASH_MAILBOX_SIZE', 4_000);

let h: ConnectionsHarness;
const children: ChildProcess[] = [];
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(children.map(exited));
  await h.close();
});

async function itemsDone(connectionId: string): Promise<{ items: number; phase: string | null }> {
  const [row] = await h.db.dataSource.query(
    `SELECT items_done, phase FROM sync_states WHERE connection_id = $1 AND resource = $2`,
    [connectionId, c.resource],
  );
  return { items: Number(row.items_done), phase: row.phase };
}

describe('worker process', () => {
  it('survives SIGKILL mid-sync: another worker picks the job up and the table ends equal to the dataset', async () => {
    const world = new ChildWorkerEnv(h, { SYNC_SLICE_MS: '400', WORKER_CONCURRENCY: '2' });
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: 'crash@example.com',
      sizes: { [c.sandboxResource]: SIZE },
      resources: [c.resource],
    });
    await world.handOver(connectionId);
    const first = await world.start();
    children.push(first);
    await enqueueSync(h, c, connectionId);
    await waitFor(async () => (await itemsDone(connectionId)).items >= SIZE / 4, {
      what: 'a quarter synced',
      timeoutMs: 60_000,
    });
    first.kill('SIGKILL');
    expect(await exited(first)).toBe('SIGKILL');
    const atKill = await itemsDone(connectionId);
    expect(atKill.phase).not.toBe('caught_up');

    // Deadlines, not timings: on a loaded 2-core machine a 4,000-item round can take tens of seconds.
    const second = await world.start();
    children.push(second);
    await waitFor(async () => (await itemsDone(connectionId)).phase === 'caught_up', {
      what: 'caught up',
      timeoutMs: 150_000,
    });

    const expected = sandboxSnapshot(h, c, account.id);
    const actual = await tableSnapshot(h, c, connectionId, c.column, world.content);
    expect(actual.size).toBe(expected.size);
    expect(snapshotChecksum(actual)).toBe(snapshotChecksum(expected));
    expect(await duplicateRows(h, c, connectionId)).toBe(0);

    // Graceful stop: SIGTERM lets the current slice finish and exits 0.
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  }, 300_000);
});
