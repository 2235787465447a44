import { PushKeeper, type PushKeeperDeps } from '@crm-sync/connections';
import type { Logger } from '@crm-sync/observability';

export interface PushLoop {
  stop(): Promise<void>;
}

/**
 * Runs the push keeper (packages/connections `PushKeeper`, docs/push.md) every `intervalMs`, one pass at a time;
 * workers side by side split the channels (leases, SKIP LOCKED). Stopping waits for the pass in progress.
 */
export function startPushLoop(deps: PushKeeperDeps, intervalMs: number, logger: Logger): PushLoop {
  const keeper = new PushKeeper({
    ...deps,
    onFailure: (row, reason) =>
      logger.warn(
        { connectionId: row.connectionId, provider: row.provider, resource: row.resource, reason },
        'push channel failed',
      ),
  });
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = async () => {
    try {
      const done = await keeper.pass();
      if (done.opened + done.renewed + done.failed > 0) logger.info({ ...done }, 'push channels kept');
    } catch (error) {
      logger.error({ err: error }, 'push keeper pass failed');
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(pass);
  }, intervalMs);
  running = pass();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
