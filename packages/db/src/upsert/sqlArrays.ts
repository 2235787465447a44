/** Column types the upsert helper can pass as one array parameter. */
export type SqlType =
  | 'text'
  | 'uuid'
  | 'timestamptz'
  | 'boolean'
  | 'integer'
  | 'bigint'
  | 'jsonb'
  | 'text[]'
  | 'bytea'
  | 'bytea[]';

/**
 * How a column's values travel: as `$n::<paramType>` unnested into one value per row, then `<select>`.
 * Postgres arrays are rectangular, so a text[] column cannot be an element of a 2-D parameter; each row's
 * array goes as its array literal instead, cast back per row. jsonb goes as JSON text so a JSON string
 * value is not mistaken for raw text. bytea[] goes as its array literal too, each element in hex form.
 */
export function columnTransport(type: SqlType, column: string): { paramType: string; select: string } {
  if (type === 'text[]') return { paramType: 'text[]', select: `u.${column}::text[]` };
  if (type === 'jsonb') return { paramType: 'text[]', select: `u.${column}::jsonb` };
  if (type === 'bytea[]') return { paramType: 'text[]', select: `u.${column}::bytea[]` };
  return { paramType: `${type}[]`, select: `u.${column}` };
}

export function encodeValue(type: SqlType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'text[]') return textArrayLiteral(value as readonly (string | null)[]);
  if (type === 'jsonb') return JSON.stringify(value);
  if (type === 'bytea[]') return byteaArrayLiteral(value as readonly Buffer[]);
  return value;
}

/** A Postgres array literal: every element double-quoted, so commas, braces and spaces need no care. */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  const items = values.map((v) =>
    v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  );
  return `{${items.join(',')}}`;
}

/**
 * A Postgres bytea[] literal: each element in bytea's hex format (`\x…`, the backslash escaped for the array
 * syntax), which needs no quoting (https://www.postgresql.org/docs/current/datatype-binary.html).
 */
export function byteaArrayLiteral(values: readonly Buffer[]): string {
  return `{${values.map((v) => `\\\\x${v.toString('hex')}`).join(',')}}`;
}
