import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { freePort, startAppProcess, type AppProcess } from '@crm-sync/testing';
import { appEnvironment } from './connectApi';

/**
 * connect-api, worker and scheduler as processes sharing one environment. Generous start time: on a machine shared
 * with other work, starting three apps under tsx can take a while. The scheduler relays the outbox, through which
 * a new connection's first sync and every notification go.
 */
export function startThreeApps(env: Record<string, string>): Promise<AppProcess[]> {
  const started = { timeoutMs: 120_000 };
  return Promise.all([
    startAppProcess('connect-api', env, started),
    startAppProcess('worker', env, started),
    startAppProcess('scheduler', env, started),
  ]);
}

/** What a suite of three apps gives its tests once they run. */
export interface ThreeApps {
  h: ConnectionsHarness;
  /** connect-api's address. */
  baseUrl: string;
}

/**
 * A test file's three apps: registers the `beforeAll` that makes the harness and starts them (ops ports off, a
 * 200 ms scheduler tick, 2 s slices, then the file's own settings, which `settings` may compute once the harness
 * and the address exist) and the `afterAll` that stops them. `ready` hands the file its harness and address.
 */
export function threeAppsSuite(
  ready: (apps: ThreeApps) => void,
  settings: (apps: ThreeApps) => Record<string, string> | Promise<Record<string, string>> = () => ({}),
): void {
  const processes: AppProcess[] = [];
  let h: ConnectionsHarness | undefined;
  beforeAll(async () => {
    h = await createConnectionsHarness();
    const port = await freePort();
    const apps = { h, baseUrl: `http://127.0.0.1:${port}` };
    ready(apps);
    const env = appEnvironment(h, port, {
      CONNECT_API_OPS_PORT: '0',
      WORKER_HTTP_PORT: '0',
      SCHEDULER_HTTP_PORT: '0',
      SCHEDULER_TICK_MS: '200',
      SYNC_SLICE_MS: '2000',
      ...(await settings(apps)),
    });
    processes.push(...(await startThreeApps(env)));
  }, 180_000);
  afterAll(async () => {
    await Promise.all(processes.map((app) => app.stop()));
    await h?.close();
  });
}
