import { selectRows, type SqlExecutor } from './executor';
import { type CrmTable } from './markDeleted';
import { columnTransport, encodeValue, type SqlType } from './sqlArrays';
import { IDENTIFIER, type UpsertColumn } from './upsertRows';

/** Where rows that belong to CRM rows hang: their table, the parent table, and the column naming the parent. */
export interface ParentLink {
  table: string;
  /** The CRM table whose rows own these. */
  parentTable: CrmTable;
  /** The child column holding the parent row's external id. */
  parentColumn: string;
  /** For crm_objects parents: the child column holding the parent's object type (ids are unique per type). */
  parentTypeColumn?: string;
}

/** Children are keyed by (connection_id, [<parentTypeColumn>,] <parentColumn>, <key>). */
export interface ChildSpecInput<Child> extends ParentLink {
  /** The child's own properties mapped to columns, the key order being the column order. */
  columns: { readonly [K in keyof Child]-?: UpsertColumn };
  /** The property that tells two children of one parent apart. */
  key: keyof Child & string;
}

export interface ChildSpec<Child> extends Readonly<ParentLink> {
  readonly fields: readonly (keyof Child & string)[];
  readonly types: readonly SqlType[];
  readonly key: keyof Child & string;
  readonly insertSql: string;
}

/**
 * Rows that belong to one CRM row (an email's attachments, a contact's participants) and are written with it: replaced whole when the parent
 * is written with new content, removed when it is marked deleted. Validated and built once.
 */
export function defineChildSpec<Child>(input: ChildSpecInput<Child>): ChildSpec<Child> {
  const fields = Object.keys(input.columns) as (keyof Child & string)[];
  const columns = fields.map((f) => input.columns[f]);
  const typeColumn = input.parentTypeColumn;
  const named = [
    input.table,
    input.parentColumn,
    ...(typeColumn ? [typeColumn] : []),
    ...columns.map((c) => c.column),
  ];
  for (const name of named) {
    if (!IDENTIFIER.test(name)) throw new Error(`child spec: "${name}" is not a plain SQL identifier`);
  }
  const all = [
    { column: input.parentColumn, type: 'text' } as const,
    ...columns.map((c) => ({ column: c.column, type: c.type })),
  ];
  const transports = all.map((c) => columnTransport(c.type, c.column));
  const names = all.map((c) => c.column);
  // A typed parent's children all share the one object type the write names: $2, the arrays after it.
  const fixed = typeColumn ? ['connection_id', typeColumn] : ['connection_id'];
  const insertSql = `INSERT INTO ${input.table} (${[...fixed, ...names].join(', ')})
SELECT ${fixed.map((_, i) => `$${i + 1}`).join(', ')}, ${transports.map((t) => t.select).join(', ')}
FROM unnest(${transports.map((t, i) => `$${i + fixed.length + 1}::${t.paramType}`).join(', ')}) AS u(${names.join(', ')})`;
  return {
    table: input.table,
    parentTable: input.parentTable,
    parentColumn: input.parentColumn,
    ...(typeColumn && { parentTypeColumn: typeColumn }),
    fields,
    types: columns.map((c) => c.type),
    key: input.key,
    insertSql,
  };
}

/** A parent row's external id and every child it has now. */
export interface ChildSet<Child> {
  parentId: string;
  children: readonly Child[];
}

/** A typed link (crm_objects parents) without the type to narrow to, or an untyped one with one: a caller's error. */
function typeFilter(link: ParentLink, parentType: string | undefined): string[] {
  if ((link.parentTypeColumn === undefined) !== (parentType === undefined))
    throw new Error(
      `${link.table}: children of ${link.parentTable} ${link.parentTypeColumn ? 'need' : 'take no'} parent type`,
    );
  return parentType === undefined ? [] : [parentType];
}

/**
 * Replaces the children of the given parents with the ones given (none left for a parent with none). Run it in
 * the parents' transaction, after their upsert, and only for parents written with new content: an unchanged
 * parent's children are unchanged too. A key repeated within one parent keeps its last child. `parentType`, the
 * object type of every parent, is required for crm_objects parents and refused for others.
 */
export async function replaceChildren<Child>(
  executor: SqlExecutor,
  spec: ChildSpec<Child>,
  connectionId: string,
  sets: readonly ChildSet<Child>[],
  parentType?: string,
): Promise<void> {
  const typed = typeFilter(spec, parentType);
  if (sets.length === 0) return;
  const byType = typed.length > 0 ? `AND ${spec.parentTypeColumn} = $3` : '';
  await executor.query(
    `DELETE FROM ${spec.table} WHERE connection_id = $1 AND ${spec.parentColumn} = ANY($2::text[]) ${byType}`,
    [connectionId, sets.map((s) => s.parentId), ...typed],
  );
  const rows: { parentId: string; child: Child }[] = [];
  for (const set of sets) {
    const byKey = new Map<unknown, Child>();
    for (const child of set.children) byKey.set(keyOf(child[spec.key]), child);
    for (const child of byKey.values()) rows.push({ parentId: set.parentId, child });
  }
  if (rows.length === 0) return;
  const parameters: unknown[] = [connectionId, ...typed, rows.map((r) => r.parentId)];
  spec.fields.forEach((field, i) =>
    parameters.push(rows.map((r) => encodeValue(spec.types[i]!, r.child[field]))),
  );
  await executor.query(spec.insertSql, parameters);
}

// A bytea key (a blind index term) compares by its bytes, not by the Buffer's identity.
const keyOf = (key: unknown) => (Buffer.isBuffer(key) ? key.toString('hex') : key);

/**
 * Removes the children of parents marked deleted: of the given ones, or of every deleted parent of the connection
 * (after a sweep, which names none); for crm_objects parents, of that `parentType` only (required there, refused
 * elsewhere). The one step for every kind of child row: attachments and participants (child specs) and links
 * (crm_associations). Returns how many went.
 */
export async function removeChildrenOfDeleted(
  executor: SqlExecutor,
  link: ParentLink,
  connectionId: string,
  parentIds?: readonly string[],
  parentType?: string,
): Promise<number> {
  const [type] = typeFilter(link, parentType);
  if (parentIds?.length === 0) return 0;
  const parameters: unknown[] = [connectionId];
  const only = parentIds ? `AND p.external_id = ANY($${parameters.push(parentIds)}::text[])` : '';
  const typed =
    type === undefined
      ? ''
      : `AND c.${link.parentTypeColumn} = $${parameters.push(type)} AND p.object_type = c.${link.parentTypeColumn}`;
  const [result] = await selectRows<{ count: number }>(
    executor,
    `WITH gone AS (
      DELETE FROM ${link.table} c USING ${link.parentTable} p
      WHERE c.connection_id = $1 AND p.connection_id = $1 AND p.external_id = c.${link.parentColumn}
        AND p.deleted_at IS NOT NULL ${typed} ${only}
      RETURNING 1
    )
    SELECT count(*)::int AS count FROM gone`,
    parameters,
  );
  return result?.count ?? 0;
}
