import type { Config } from '@crm-sync/config';
import { getConnection, listConnections, requestDisconnect, requestSync } from '@crm-sync/connections';
import {
  CONNECTION_STATUSES,
  QUEUE_NAMES,
  RESOURCES,
  type ConnectionStatus,
  type Resource,
} from '@crm-sync/core';
import { createRedisConnection, queueStatsReader } from '@crm-sync/queue';
import { runReseal } from '@crm-sync/vault';
import type { DataSource } from 'typeorm';
import { age, table } from './table';

/** What every command may use; opened by main.ts, closed after the command. */
export interface CliDeps {
  config: Config;
  db: () => Promise<DataSource>;
  print: (line: string) => void;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The actor operator commands are audited as (the connection log names who asked). */
const ACTOR = 'operator-cli';

export async function connections(
  deps: CliDeps,
  tenantId: string,
  status: string | undefined,
): Promise<number> {
  if (status !== undefined && !CONNECTION_STATUSES.includes(status as ConnectionStatus))
    throw new UsageError(`--status must be one of ${CONNECTION_STATUSES.join(', ')}`);
  const db = await deps.db();
  const found = await listConnections(db, {
    tenantId,
    ...(status && { status: status as ConnectionStatus }),
    limit: 1000,
  });
  const rows: string[][] = [];
  for (const c of found) {
    const detail = await getConnection(db, tenantId, c.id);
    const states = (detail?.sync ?? []).map((s) => {
      const last = s.lastSuccessAt
        ? `${age((Date.now() - Date.parse(s.lastSuccessAt)) / 1000)} ago`
        : 'never';
      return `${s.resource}:${s.enabled ? s.status : 'disabled'} (${last})`;
    });
    rows.push([c.id, c.provider, c.crmUserId, c.status, states.join(' ')]);
  }
  deps.print(
    table(['connection', 'provider', 'crm user', 'status', 'resources (last completed round)'], rows),
  );
  deps.print(`${found.length} connection(s) in tenant ${tenantId}`);
  return 0;
}

export async function sync(
  deps: CliDeps,
  input: { tenantId: string; connectionId: string; full: boolean; resources: string[] },
): Promise<number> {
  const unknown = input.resources.filter((r) => !RESOURCES.includes(r as Resource));
  if (unknown.length > 0)
    throw new UsageError(`unknown resource(s) ${unknown.join(', ')}; one of ${RESOURCES.join(', ')}`);
  const outcome = await requestSync(
    { db: await deps.db() },
    {
      tenantId: input.tenantId,
      connectionId: input.connectionId,
      full: input.full,
      ...(input.resources.length > 0 && { resources: input.resources as Resource[] }),
    },
  );
  return report(deps, outcome, `${input.full ? 'full resync' : 'sync'} requested`);
}

export async function disconnect(
  deps: CliDeps,
  input: { tenantId: string; connectionId: string; purge: boolean },
): Promise<number> {
  const outcome = await requestDisconnect({ db: await deps.db() }, { ...input, actor: ACTOR });
  return report(deps, outcome, input.purge ? 'disconnect and purge requested' : 'disconnect requested');
}

function report(deps: CliDeps, outcome: Awaited<ReturnType<typeof requestSync>>, what: string): number {
  if (outcome.kind === 'not_found') {
    deps.print('no such connection in that tenant');
    return 1;
  }
  deps.print(`${what} (event ${outcome.eventId}); the worker carries it out`);
  return 0;
}

/** Jobs per queue and the oldest waiting one's age: the first thing to look at when syncs lag. */
export async function queues(deps: CliDeps): Promise<number> {
  const connection = createRedisConnection({
    url: deps.config.redis.url,
    role: 'producer',
    connectionName: 'crm-sync-cli',
    ...(deps.config.redis.tls && { tls: deps.config.redis.tls }),
  });
  const reader = queueStatsReader(connection, deps.config.queues.prefix, Object.values(QUEUE_NAMES));
  try {
    const stats = await reader.read();
    deps.print(
      table(
        ['queue', 'waiting', 'active', 'delayed', 'failed', 'oldest waiting'],
        stats.map((s) => [
          s.queue,
          String(s.waiting),
          String(s.active),
          String(s.delayed),
          String(s.failed),
          s.waiting > 0 ? age(s.oldestWaitingAgeSeconds) : '-',
        ]),
      ),
    );
    return 0;
  } finally {
    await reader.close();
    await connection.quit();
  }
}

/** vault:reseal, under the CLI (docs/encryption-at-rest.md, "Rotation"). */
export function reseal(deps: CliDeps, argv: string[]): Promise<number> {
  return runReseal(deps.config, argv, deps.print);
}
