import { KIND_SPECS, type Kind } from './kinds';
import type { Position } from './cursor';

/** The filters of one page, already checked against the kind (reader.ts). */
export interface PageFilters {
  /** Blind index terms of the looked-up address, one per key of the content index ring. */
  terms: Buffer[] | null;
  /** Blind index terms of a looked-up Message-ID (emails' `message_terms`: the message and its replies). */
  messageTerms: Buffer[] | null;
  from: Date | null;
  to: Date | null;
}

export interface PageQuery {
  sql: string;
  parameters: unknown[];
}

/**
 * One page of a connection's rows after `position`, in (change_xid, id) order, served only below the oldest running
 * transaction (pg_snapshot_xmin of the statement's snapshot): every change below it is committed, and every later
 * change gets a larger change_xid, so no row can turn up behind a cursor (migration 1765000000180,
 * docs/read-api.md). A change feed includes soft-deleted rows (served as deletions); a listing does not.
 */
export function pageQuery(kind: Kind, position: Position, filters: PageFilters, limit: number): PageQuery {
  const spec = KIND_SPECS[kind];
  const columns = [
    ...Object.values(spec.plain).map(([column]) => column),
    ...Object.values(spec.legacy).map(([column]) => column),
  ];
  const parameters: unknown[] = [position.connectionId, position.xid, position.id, limit];
  const where = [
    't.connection_id = $1',
    't.change_xid < pg_snapshot_xmin(pg_current_snapshot())',
    '(t.change_xid, t.id) > ($2::xid8, $3::bigint)',
  ];
  const add = (condition: (n: string) => string, value: unknown) => {
    parameters.push(value);
    where.push(condition(`$${parameters.length}`));
  };
  if (!position.feed) where.push('t.deleted_at IS NULL');
  if (position.since !== null) add((n) => `t.updated_at >= ${n}::timestamptz`, position.since);
  if (filters.terms) add((n) => `t.blind_index && ${n}::bytea[]`, filters.terms);
  if (filters.messageTerms) add((n) => `t.message_terms && ${n}::bytea[]`, filters.messageTerms);
  const range = spec.timeRange;
  if (range && filters.from) {
    // Events overlap the range: one that ends after `from` (or, without an end, starts at or after it).
    const end = range.end ? `coalesce(t.${range.end}, t.${range.start})` : `t.${range.start}`;
    add((n) => `${end} ${range.end ? '>' : '>='} ${n}::timestamptz`, filters.from);
  }
  if (range && filters.to) add((n) => `t.${range.start} < ${n}::timestamptz`, filters.to);
  const sql = `SELECT t.id::text AS id, t.change_xid::text AS change_xid, t.external_id, t.updated_at, t.deleted_at
      , t.sealed${columns.map((c) => `, t.${c}`).join('')}
    FROM ${spec.table} t
    WHERE ${where.join(' AND ')}
    ORDER BY t.change_xid, t.id
    LIMIT $4`;
  return { sql, parameters };
}
