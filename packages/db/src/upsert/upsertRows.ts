import { selectRows, type SqlExecutor } from './executor';
import { columnTransport, encodeValue, type SqlType } from './sqlArrays';

export interface UpsertColumn {
  column: string;
  type: SqlType;
}

export interface UpsertSpecInput<Row> {
  table: string;
  /** Every property of Row, mapped to its column; the key order is the column order. */
  columns: { readonly [K in keyof Row]-?: UpsertColumn };
  /** The unique key the rows collide on, as properties of Row. */
  conflict: readonly (keyof Row & string)[];
  /** The property whose change means the row changed; unchanged rows are not rewritten. */
  hash: keyof Row & string;
  /**
   * The property naming the full round that listed the row (mark-and-sweep). An unchanged row whose value differs
   * gets only that column and still counts as unchanged, so a full round over a settled table costs no rewrites of
   * content and reports no updates.
   */
  generation?: keyof Row & string;
  /**
   * A text property whose values, for the rows a call wrote with content (inserted, changed or revived), the call
   * can return (`upsertRowsReporting`): what a caller keeping child rows in step needs, at the cost of one array.
   */
  report?: keyof Row & string;
  /**
   * Columns the rows no longer fill (plain columns whose content is now sealed): left to their default on insert
   * and set back to it whenever a row is rewritten, so no row keeps an older write's value in them.
   */
  cleared?: readonly string[];
}

export interface UpsertSpec<Row> {
  readonly table: string;
  readonly fields: readonly (keyof Row & string)[];
  readonly types: readonly SqlType[];
  readonly conflict: readonly (keyof Row & string)[];
  readonly sql: string;
  /** The statement that also returns the `report` values of the rows written with content. */
  readonly reportingSql: string | undefined;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** What a table or column name spliced into SQL must look like. */
export const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
export const UPSERT_PAGE_SIZE = 1000;

/** Validates a spec and builds its statement once, so each page only binds parameters. */
export function defineUpsertSpec<Row>(input: UpsertSpecInput<Row>): UpsertSpec<Row> {
  const fields = Object.keys(input.columns) as (keyof Row & string)[];
  const columns = fields.map((field) => input.columns[field]);
  const cleared = input.cleared ?? [];
  for (const name of [input.table, ...columns.map((c) => c.column), ...cleared]) {
    if (!IDENTIFIER.test(name)) throw new Error(`upsert spec: "${name}" is not a plain SQL identifier`);
  }
  const named = [input.hash, input.generation, input.report].filter((f) => f !== undefined);
  for (const field of [...input.conflict, ...named]) {
    if (!fields.includes(field)) throw new Error(`upsert spec: "${field}" is not one of the columns`);
  }
  const conflict = input.conflict.map((f) => input.columns[f].column);
  const hash = input.columns[input.hash].column;
  const generation = input.generation === undefined ? undefined : input.columns[input.generation].column;
  const names = columns.map((c) => c.column);
  const transports = columns.map((c) => columnTransport(c.type, c.column));
  const changed = `t.${hash} IS DISTINCT FROM EXCLUDED.${hash} OR t.deleted_at IS NOT NULL`;
  // Equal hashes mean equal content, so rewriting the content columns of a row that is only being marked seen
  // writes the values it already holds; updated_at moves only when the content did.
  const updates = [
    ...names.filter((n) => !conflict.includes(n)).map((n) => `${n} = EXCLUDED.${n}`),
    ...cleared.map((n) => `${n} = DEFAULT`),
    'deleted_at = NULL',
    generation ? `updated_at = CASE WHEN ${changed} THEN now() ELSE t.updated_at END` : 'updated_at = now()',
  ];
  const when = generation ? `${changed} OR t.${generation} IS DISTINCT FROM EXCLUDED.${generation}` : changed;
  // A row that comes back after a provider deletion is rewritten (and undeleted) even with the same hash. A row
  // written only to mark it seen keeps its updated_at, which is how the count tells it from an update: now() is
  // the transaction's start, and a content write sets exactly that (the engine writes a key once per transaction).
  const rewritten = generation ? 'NOT inserted AND updated_at = now()' : 'NOT inserted';
  const report = input.report === undefined ? undefined : input.columns[input.report].column;
  const statement = (reporting: boolean) => `WITH written AS (
  INSERT INTO ${input.table} AS t (${names.join(', ')})
  SELECT ${transports.map((t) => t.select).join(', ')}
  FROM unnest(${transports.map((t, i) => `$${i + 1}::${t.paramType}`).join(', ')}) AS u(${names.join(', ')})
  ON CONFLICT (${conflict.join(', ')}) DO UPDATE
  SET ${updates.join(', ')}
  WHERE ${when}
  RETURNING (t.xmax = 0) AS inserted, t.updated_at${reporting ? `, t.${report} AS reported` : ''}
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE ${rewritten})::int AS updated${
    reporting
      ? `,\n  coalesce(array_agg(reported) FILTER (WHERE inserted OR (${rewritten})), '{}') AS written`
      : ''
  }
FROM written`;
  return {
    table: input.table,
    fields,
    types: columns.map((c) => c.type),
    conflict: input.conflict,
    sql: statement(false),
    reportingSql: report === undefined ? undefined : statement(true),
  };
}

/**
 * Inserts new rows, rewrites changed ones and leaves rows whose hash is unchanged alone, one statement per
 * page of up to UPSERT_PAGE_SIZE rows. Pass a transaction's EntityManager to commit with other writes.
 * Rows repeating a key (delta feeds may list an item twice) collapse to the last one, counted once.
 */
export async function upsertRows<Row>(
  executor: SqlExecutor,
  spec: UpsertSpec<Row>,
  rows: readonly Row[],
): Promise<UpsertCounts> {
  const { inserted, updated, unchanged } = await upsertPages(executor, spec, rows, spec.sql);
  return { inserted, updated, unchanged };
}

/**
 * `upsertRows`, also returning the `report` values (the spec's) of the rows it wrote with content: inserted,
 * changed or revived, not those only marked seen or left alone.
 */
export async function upsertRowsReporting<Row>(
  executor: SqlExecutor,
  spec: UpsertSpec<Row>,
  rows: readonly Row[],
): Promise<UpsertCounts & { written: string[] }> {
  if (spec.reportingSql === undefined) throw new Error(`upsert spec of ${spec.table} names no report column`);
  return upsertPages(executor, spec, rows, spec.reportingSql);
}

async function upsertPages<Row>(
  executor: SqlExecutor,
  spec: UpsertSpec<Row>,
  rows: readonly Row[],
  sql: string,
): Promise<UpsertCounts & { written: string[] }> {
  const distinct = lastPerKey(spec, rows);
  const counts = { inserted: 0, updated: 0, unchanged: 0, written: [] as string[] };
  for (let start = 0; start < distinct.length; start += UPSERT_PAGE_SIZE) {
    const page = distinct.slice(start, start + UPSERT_PAGE_SIZE);
    const parameters = spec.fields.map((field, i) =>
      page.map((row) => encodeValue(spec.types[i]!, row[field])),
    );
    const [result] = await selectRows<{ inserted: number; updated: number; written?: string[] }>(
      executor,
      sql,
      parameters,
    );
    const inserted = result?.inserted ?? 0;
    const updated = result?.updated ?? 0;
    counts.inserted += inserted;
    counts.updated += updated;
    counts.unchanged += page.length - inserted - updated;
    if (result?.written) counts.written.push(...result.written);
  }
  return counts;
}

// ON CONFLICT DO UPDATE refuses to touch one row twice in a statement, so duplicates must go first.
function lastPerKey<Row>(spec: UpsertSpec<Row>, rows: readonly Row[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) byKey.set(spec.conflict.map((f) => String(row[f])).join('\u0000'), row);
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}
