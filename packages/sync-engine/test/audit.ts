import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Resource, ResourceSyncer } from '@crm-sync/core';
import { runSlice } from '../src/slice/runSlice';
import type { SyncEngineDeps } from '../src/types';
import type { SyncCase } from './dataset';

const DAY = 86_400_000;

/** Slices until the resource's round is caught up; returns that round's mode. */
export async function syncUntilCaughtUp(
  deps: SyncEngineDeps,
  connectionId: string,
  resource: Resource,
): Promise<'full' | 'incremental'> {
  for (let i = 0; i < 100; i += 1) {
    const outcome = await runSlice(deps, { connectionId, resource, budgetMs: 30_000 });
    if (outcome.kind === 'caught_up') return outcome.round.mode;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${outcome.kind}`);
  }
  throw new Error('round did not complete');
}

/** A row the provider never had, dated yesterday where the table has a date, as a lost deletion leaves it. */
export async function plantGhost(h: ConnectionsHarness, c: SyncCase, connectionId: string, id: string) {
  const dated = { emails: 'sent_at', calendar_events: 'starts_at' }[c.table as string];
  const columns = ['connection_id', 'external_id', 'content_hash'];
  const values: unknown[] = [connectionId, id, 'h'];
  const extra: Array<[string, unknown]> = [];
  if (dated) extra.push([dated, new Date(Date.now() - DAY)]);
  if (c.objectType) extra.push(['object_type', c.objectType]);
  // A task row names its list and status (NOT NULL).
  if (c.table === 'tasks') extra.push(['list_id', 'ghost-list'], ['status', 'open']);
  for (const [column, value] of extra) {
    columns.push(column);
    values.push(value);
  }
  await h.db.dataSource.query(
    `INSERT INTO ${c.table} (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  );
}

/** Rows removed behind the engine's back: the provider still has them and no cursor will say so. */
export async function dropRows(h: ConnectionsHarness, c: SyncCase, connectionId: string, ids: string[]) {
  await h.db.dataSource.query(
    `DELETE FROM ${c.table} WHERE connection_id = $1 AND external_id = ANY($2::text[])`,
    [connectionId, ids],
  );
}

/**
 * The engine's dependencies with one syncer's methods replaced, so a test can act between an audit's steps; the
 * replacement gets the syncer's own methods to call.
 */
export function withSyncer(
  deps: SyncEngineDeps,
  c: SyncCase,
  replace: (syncer: ResourceSyncer) => Partial<ResourceSyncer>,
): SyncEngineDeps {
  const adapters = new Map(deps.adapters);
  const adapter = adapters.get(c.provider);
  const syncer = adapter?.sync?.[c.resource];
  if (!adapter || !syncer) throw new Error(`no ${c.provider} ${c.resource} syncer`);
  const own: ResourceSyncer = {
    ...syncer,
    fetchPage: (request) => syncer.fetchPage(request),
    ...(syncer.listIds && { listIds: syncer.listIds.bind(syncer) }),
    ...(syncer.fetchByIds && { fetchByIds: syncer.fetchByIds.bind(syncer) }),
  };
  adapters.set(c.provider, {
    ...adapter,
    sync: { ...adapter.sync, [c.resource]: { ...own, ...replace(own) } },
  });
  return { ...deps, adapters };
}
