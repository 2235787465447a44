import { exited } from '@crm-sync/testing';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { ChildWorkerEnv } from '../test/childWorker';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

describe('worker process lifecycle', () => {
  it('serves /healthz and /metrics, and exits 0 on SIGTERM', async () => {
    const child = await new ChildWorkerEnv(h).start();
    try {
      const health = await fetch(`http://127.0.0.1:${child.opsPort}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' } } });
      const metrics = await fetch(`http://127.0.0.1:${child.opsPort}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('app="worker"');
      expect((await fetch(`http://127.0.0.1:${child.opsPort}/nope`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
  }, 60_000);

  it('refuses a bad configuration with exit code 78 and one line', async () => {
    const world = new ChildWorkerEnv(h, { WORKER_QUEUES: 'sync-nowhere' });
    const failure = await world.start(20_000).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/exited with 78: crm-sync: invalid configuration: WORKER_QUEUES/);
  }, 60_000);
});
