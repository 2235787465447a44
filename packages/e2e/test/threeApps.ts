import { startAppProcess, type AppProcess } from '@crm-sync/testing';

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
