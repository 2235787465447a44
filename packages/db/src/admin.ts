import type { TlsTrust } from '@crm-sync/config';
import { Client } from 'pg';
import { pgSsl } from './dataSource';
import { DatabaseUrlError } from './errors';

const DUPLICATE_DATABASE = '42P04';

/** The database a postgres URL names. */
export function databaseNameOf(url: string): string {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    throw new DatabaseUrlError('the database URL is not a valid URL');
  }
  const name = decodeURIComponent(pathname.replace(/^\//, ''));
  if (!name || name.includes('/')) throw new DatabaseUrlError('the database URL must name one database');
  return name;
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  return next.toString();
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// CREATE/DROP DATABASE cannot run inside the target database, so these use the server's `postgres` database.
async function onMaintenanceDatabase<T>(
  url: string,
  tls: TlsTrust | undefined,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), ssl: pgSsl(tls) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the database the URL names unless it exists; safe when two processes race to create it. */
export async function ensureDatabase(url: string, tls?: TlsTrust): Promise<'created' | 'exists'> {
  const name = databaseNameOf(url);
  return onMaintenanceDatabase(url, tls, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'exists';
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      return 'created';
    } catch (error) {
      if ((error as { code?: string }).code === DUPLICATE_DATABASE) return 'exists';
      throw error;
    }
  });
}

/** Drops the database the URL names, ending any sessions still connected to it. */
export async function dropDatabase(url: string, tls?: TlsTrust): Promise<void> {
  const name = databaseNameOf(url);
  await onMaintenanceDatabase(url, tls, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}
