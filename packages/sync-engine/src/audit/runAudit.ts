import {
  ClassifiedProviderError,
  type IdPage,
  type ProviderAdapter,
  type ProviderErrorClass,
  type ResourceSyncer,
  type SyncContinuation,
} from '@crm-sync/core';
import { syncStates, type SliceConnection } from '@crm-sync/sync-states';
import { admitSync, countedCall } from '../throttle/countedCall';
import type { SyncEngineDeps } from '../types';
import { compareIds } from './compareIds';
import { fetchDifference, repair } from './repair';
import type { AuditOutcome, AuditRequest } from './types';

/**
 * The completeness audit of one resource (packages/sync-engine/README.md "Completeness audit"): lists the provider's
 * ids with the syncer's id pass, compares them with the table's rows for the window the pass listed, and repairs in
 * one transaction (`repair.ts`): ghosts marked deleted, missing items stored (fetched by id where the syncer can) or
 * left to the full round it asks for, the counts recorded. A run that ends early (budget, failure) changes nothing.
 */
export async function runAudit(deps: SyncEngineDeps, request: AuditRequest): Promise<AuditOutcome> {
  const loaded = await syncStates.loadSlice(deps.db, request.connectionId, request.resource);
  if (!loaded) return { kind: 'skipped', reason: 'connection_missing' };
  const { connection, state } = loaded;
  if (connection.status !== 'active') return { kind: 'skipped', reason: 'connection_inactive' };
  if (!state) return { kind: 'skipped', reason: 'state_missing' };
  if (!state.enabled) return { kind: 'skipped', reason: 'disabled' };
  const adapter = deps.adapters.get(connection.provider);
  const syncer = adapter?.sync?.[request.resource];
  if (!adapter || !syncer) return { kind: 'skipped', reason: 'no_syncer' };
  if (!syncer.listIds) return { kind: 'skipped', reason: 'no_id_pass' };

  // The database's clock, the one rows' updated_at are written by; taken before the first listing call.
  const [{ now: since }] = (await deps.db.query('SELECT now() AS now')) as [{ now: Date }];
  const listing = await listAll(deps, request, connection, adapter, syncer);
  if (listing.kind !== 'listed') return listing;
  const { ids, window, calls } = listing;
  const { table, objectType } = syncer;
  const comparison = { table, objectType, connectionId: connection.id, resource: request.resource };
  const diff = await compareIds(deps.db, { ...comparison, listed: ids, window, since });
  const findings = { request, connection, adapter, syncer, diff, since, listed: ids.length, calls };
  const counts = await repair(deps, findings, await fetchDifference(deps, findings));
  return { kind: 'audited', counts };
}

type Listing =
  | {
      kind: 'listed';
      ids: string[];
      window: Extract<IdPage['next'], { kind: 'done' }>['window'];
      calls: number;
    }
  | Extract<AuditOutcome, { kind: 'over_budget' | 'failed' }>;

/** Pages the id pass to its end within the budget; an expired token is refreshed once per page. */
async function listAll(
  deps: SyncEngineDeps,
  request: AuditRequest,
  connection: SliceConnection,
  adapter: ProviderAdapter,
  syncer: ResourceSyncer,
): Promise<Listing> {
  const listIds = syncer.listIds?.bind(syncer);
  if (!listIds) throw new Error('runAudit: syncer without an id pass');
  const ids: string[] = [];
  let continuation: SyncContinuation | null = null;
  let calls = 0;
  let refused: string | undefined;
  for (;;) {
    if (calls >= request.maxCalls) return { kind: 'over_budget', calls };
    await request.throttle?.(connection.provider);
    await admitSync(deps, connection.id, adapter);
    calls += 1;
    let accessToken: string | undefined;
    let page: IdPage;
    try {
      accessToken = await deps.tokens.get(connection.id, adapter.oauth, {
        force: refused !== undefined,
        refused,
      });
      const token = accessToken;
      page = await countedCall(deps, connection.id, adapter, (tally) =>
        listIds({
          accessToken: token,
          tally,
          continuation,
          now: deps.now?.() ?? new Date(),
          initialWindowDays: deps.options.initialWindowDays,
        }),
      );
    } catch (error) {
      const classified = classify(adapter, error);
      if (classified.kind === 'auth_expired' && refused === undefined && accessToken !== undefined) {
        refused = accessToken;
        continue;
      }
      return { kind: 'failed', error: classified, calls };
    }
    refused = undefined;
    ids.push(...page.ids);
    if (page.next.kind === 'done') return { kind: 'listed', ids, window: page.next.window, calls };
    continuation = page.next.continuation;
  }
}

function classify(adapter: ProviderAdapter, error: unknown): ProviderErrorClass {
  return error instanceof ClassifiedProviderError ? error.classification : adapter.classifyError(error);
}
