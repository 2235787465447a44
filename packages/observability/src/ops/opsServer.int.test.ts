import type { AddressInfo } from 'node:net';
import { createMetrics } from '../metrics/metrics';
import { startOpsServer } from './opsServer';

it('serves health (200 or 503), metrics and nothing else', async () => {
  const metrics = createMetrics({ collectDefaults: false });
  metrics.counter({ name: 'crm_sync_test_total', help: 'test' }).inc();
  let healthy = true;
  const server = await startOpsServer({
    host: '127.0.0.1',
    port: 0,
    metrics,
    health: {
      dependency: async () => {
        if (!healthy) throw new Error('down');
      },
    },
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    healthy = false;
    const failing = await fetch(`${base}/healthz`);
    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({
      status: 'fail',
      checks: { dependency: { status: 'fail' } },
    });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('crm_sync_test_total 1');
    expect((await fetch(`${base}/other`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  } finally {
    server.close();
  }
});
