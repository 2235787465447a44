import type { ConnectionStatus, Provider, Resource, SyncContinuation, SyncPosition } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import type { PageAdvance, PageAdvanced, RoundSummary, SliceConnection, SliceState } from './types';
import { rows, WHERE_RESOURCE } from './sql';

interface Row {
  id: string;
  tenant_id: string;
  provider: Provider;
  status: ConnectionStatus;
  enabled: boolean | null;
  mode: 'full' | 'incremental' | null;
  cursor: string | null;
  continuation: SyncContinuation | null;
  consecutive_failures: number | null;
  round_generation: string | null;
  full_round_at: Date | null;
  full_round_wanted: boolean | null;
}

/** The connection and its state for one resource; state is null when the resource has no row. */
export async function loadSlice(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
): Promise<{ connection: SliceConnection; state: SliceState | null } | null> {
  const [row] = await rows<Row>(
    db,
    `SELECT c.id, c.tenant_id, c.provider, c.status, s.enabled, s.mode, s.cursor, s.continuation,
            s.consecutive_failures, s.round_generation, s.full_round_at, s.full_round_wanted
       FROM connections c LEFT JOIN sync_states s ON s.connection_id = c.id AND s.resource = $2
      WHERE c.id = $1`,
    [connectionId, resource],
  );
  if (!row) return null;
  const connection = { id: row.id, tenantId: row.tenant_id, provider: row.provider, status: row.status };
  if (row.enabled === null || row.mode === null) return { connection, state: null };
  return {
    connection,
    state: {
      enabled: row.enabled,
      position: { mode: row.mode, cursor: row.cursor, continuation: row.continuation },
      consecutiveFailures: row.consecutive_failures ?? 0,
      roundGeneration: Number(row.round_generation ?? 0),
      fullRoundAt: row.full_round_at,
      fullRoundWanted: row.full_round_wanted ?? false,
    },
  };
}

/**
 * A slice starts. `roundBegins`: it starts a round (no continuation), whose first fetch begins now: a request
 * (`triggerNow`) from now on may not be seen by this round, and earns it one follow-up (`advancePosition`).
 */
export async function markRunning(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
  roundBegins: boolean,
): Promise<void> {
  await db.query(
    `UPDATE sync_states SET status = 'running', updated_at = now(),
        round_began_at = CASE WHEN $3 THEN now() ELSE round_began_at END ${WHERE_RESOURCE}`,
    [connectionId, resource, roundBegins],
  );
}

/**
 * Advances the position and counters in the caller's transaction, compare-and-set on the position read before
 * the fetch: if another worker moved it meanwhile (a stalled job picked up twice), nothing is written and the
 * caller rolls back its rows. Returns false in that case. The round generation is part of the check: a full round's
 * first page must bring the stored one + 1, every other page the stored one, so a page read before another worker
 * began (and abandoned) a full round from the same position cannot reuse that round's generation. A page that finishes the round (`caughtUp`) also
 * stores the cursor as incremental, the success time and the next due time (the pushed one while a healthy push
 * channel covers the resource), and, ending a full round, its time. Returns null when the position moved; else
 * whether the round it finished needs one follow-up round: a request came at or after the round's first fetch
 * began (docs/push.md). Such a resource stays `queued`: the caller runs the follow-up at once.
 */
export async function advancePosition(db: SqlExecutor, a: PageAdvance): Promise<PageAdvanced | null> {
  const phase = a.caughtUp ? 'caught_up' : a.to.mode;
  const base = a.roundStart ? `'{}'::jsonb` : 'counters';
  const sum = (key: string, parameter: number) => `COALESCE((${base}->>'${key}')::bigint, 0) + $${parameter}`;
  const followUp =
    'requested_at IS NOT NULL AND round_began_at IS NOT NULL AND requested_at >= round_began_at';
  const [returned, affected] = (await db.query(
    `UPDATE sync_states SET
        mode = $3, cursor = $4, continuation = $5::jsonb, phase = $6,
        items_done = CASE WHEN $7 THEN 0 ELSE items_done END + $8,
        round_pages = CASE WHEN $7 THEN 0 ELSE round_pages END + 1,
        counters = jsonb_build_object(
          'added', ${sum('added', 9)}, 'updated', ${sum('updated', 10)},
          'unchanged', ${sum('unchanged', 11)}, 'deleted', ${sum('deleted', 12)})
          || jsonb_strip_nulls(jsonb_build_object(
          'swept', NULLIF(${sum('swept', 20)}, 0), 'sanitized', NULLIF(${sum('sanitized', 21)}, 0),
          'quarantined', NULLIF(${sum('quarantined', 22)}, 0))),
        started_at = CASE WHEN $7 THEN $13 ELSE started_at END,
        round_generation = $19,
        full_round_at = CASE WHEN $14 AND $16 = 'full' THEN $13 ELSE full_round_at END,
        consecutive_failures = 0, rate_limit_streak = 0,
        status = CASE WHEN NOT $14 THEN 'running' WHEN ${followUp} THEN 'queued' ELSE 'idle' END,
        last_success_at = CASE WHEN $14 THEN $13 ELSE last_success_at END,
        next_sync_at = CASE WHEN NOT $14 THEN next_sync_at WHEN push_until > $13 THEN $23 ELSE $15 END,
        updated_at = now()
      WHERE connection_id = $1 AND resource = $2 AND enabled
        AND mode = $16 AND cursor IS NOT DISTINCT FROM $17
        AND continuation IS NOT DISTINCT FROM $18::jsonb
        AND round_generation = $19 - CASE WHEN $7 AND $16 = 'full' THEN 1 ELSE 0 END
      RETURNING $14 AND ${followUp} AS follow_up`,
    [
      a.connectionId,
      a.resource,
      a.to.mode,
      a.to.cursor,
      json(a.to.continuation),
      phase,
      a.roundStart,
      a.items,
      a.counts.added,
      a.counts.updated,
      a.counts.unchanged,
      a.counts.deleted,
      a.now,
      a.caughtUp !== null,
      a.caughtUp?.nextSyncAt ?? null,
      a.from.mode,
      a.from.cursor,
      json(a.from.continuation),
      a.generation,
      a.counts.swept ?? 0,
      a.counts.sanitized ?? 0,
      a.counts.quarantined ?? 0,
      a.caughtUp?.pushedNextSyncAt ?? null,
    ],
  )) as [Array<{ follow_up: boolean }>, number];
  if (affected !== 1) return null;
  return { followUp: returned[0]?.follow_up === true };
}

/**
 * Turns an incremental position into the start of a full round (a resource whose full rounds are due
 * periodically, or one an audit found incomplete; the request is consumed), compare-and-set like
 * `advancePosition`; false if the position moved meanwhile.
 */
export async function startFullRound(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
  from: SyncPosition,
): Promise<boolean> {
  const [, affected] = (await db.query(
    `UPDATE sync_states SET mode = 'full', cursor = NULL, continuation = NULL, phase = 'full',
        full_round_wanted = false, updated_at = now()
      ${WHERE_RESOURCE} AND enabled AND mode = $3 AND cursor IS NOT DISTINCT FROM $4
        AND continuation IS NOT DISTINCT FROM $5::jsonb`,
    [connectionId, resource, from.mode, from.cursor, json(from.continuation)],
  )) as [unknown, number];
  return affected === 1;
}

/** The round's counters, pages and start, read in the transaction of the page that finished it. */
export async function roundSummary(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
): Promise<RoundSummary> {
  const [row] = await rows<{
    counters: Record<string, number>;
    round_pages: number;
    started_at: Date | null;
  }>(db, `SELECT counters, round_pages, started_at FROM sync_states ${WHERE_RESOURCE}`, [
    connectionId,
    resource,
  ]);
  const counters = Object.fromEntries(Object.entries(row?.counters ?? {}).map(([k, v]) => [k, Number(v)]));
  return { counters, pages: row?.round_pages ?? 0, startedAt: row?.started_at ?? null };
}

/** A finished slice that is not done yet waits in the queue for its next turn. */
export async function requeue(db: SqlExecutor, connectionId: string, resource: Resource): Promise<void> {
  await db.query(
    `UPDATE sync_states SET status = 'queued', updated_at = now() ${WHERE_RESOURCE} AND status = 'running'`,
    [connectionId, resource],
  );
}

const json = (value: SyncContinuation | null) => (value === null ? null : JSON.stringify(value));
