import { textArrayLiteral } from './sqlArrays';
import { defineUpsertSpec } from './upsertRows';

interface Row {
  connectionId: string;
  externalId: string;
  hash: string;
  tags: string[];
  data: Record<string, unknown>;
}

const columns = {
  connectionId: { column: 'connection_id', type: 'uuid' },
  externalId: { column: 'external_id', type: 'text' },
  hash: { column: 'content_hash', type: 'text' },
  tags: { column: 'tags', type: 'text[]' },
  data: { column: 'data', type: 'jsonb' },
} as const;

describe('defineUpsertSpec', () => {
  it('binds one array parameter per column, whatever the page size', () => {
    const spec = defineUpsertSpec<Row>({
      table: 'things',
      columns,
      conflict: ['connectionId', 'externalId'],
      hash: 'hash',
    });
    expect(spec.sql).toContain(
      'FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(connection_id, external_id, content_hash, tags, data)',
    );
    expect(spec.sql).toContain('ON CONFLICT (connection_id, external_id) DO UPDATE');
    expect(spec.sql).toContain('WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash');
    expect(spec.sql).toContain('u.tags::text[], u.data::jsonb');
    expect(spec.sql).not.toContain('connection_id = EXCLUDED.connection_id');
  });

  it.each([
    ['a table name that is not a plain identifier', { table: 'things; DROP TABLE x' }],
    [
      'a column name that is not a plain identifier',
      { columns: { ...columns, tags: { column: 'Tags', type: 'text' } } },
    ],
    ['a conflict key that is not a column', { conflict: ['nope'] }],
    ['a hash that is not a column', { hash: 'nope' }],
  ])('rejects %s', (_, override) => {
    const input = { table: 'things', columns, conflict: ['externalId'], hash: 'hash', ...override };
    expect(() => defineUpsertSpec(input as Parameters<typeof defineUpsertSpec<Row>>[0])).toThrow(
      /upsert spec/,
    );
  });
});

describe('textArrayLiteral', () => {
  it('quotes every element and escapes quotes and backslashes', () => {
    expect(textArrayLiteral([])).toBe('{}');
    expect(textArrayLiteral(['a', 'b c', 'x,y'])).toBe('{"a","b c","x,y"}');
    expect(textArrayLiteral(['say "hi"', 'C:\\dir', null])).toBe('{"say \\"hi\\"","C:\\\\dir",NULL}');
  });
});
