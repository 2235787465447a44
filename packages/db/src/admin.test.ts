import { databaseNameOf, quoteIdentifier, withDatabase } from './admin';
import { DatabaseUrlError } from './errors';

describe('database URL helpers', () => {
  it('reads the database name', () => {
    expect(databaseNameOf('postgres://u:p@h:5432/crm_sync?sslmode=require')).toBe('crm_sync');
    expect(databaseNameOf('postgres://h/odd%20name')).toBe('odd name');
  });

  it.each(['postgres://h:5432', 'postgres://h/', 'postgres://h/a/b', 'not a url'])(
    'rejects %s without echoing it',
    (url) => {
      expect(() => databaseNameOf(url)).toThrow(DatabaseUrlError);
      try {
        databaseNameOf(url);
      } catch (error) {
        expect((error as Error).message).not.toContain(url);
      }
    },
  );

  it('swaps the database, keeping server, credentials and options', () => {
    expect(withDatabase('postgres://u:p@h:5433/crm_sync?sslmode=require', 'postgres')).toBe(
      'postgres://u:p@h:5433/postgres?sslmode=require',
    );
  });

  it('quotes identifiers', () => {
    expect(quoteIdentifier('crm_sync')).toBe('"crm_sync"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
