import { readFileSync } from 'node:fs';
import { ConfigError } from './errors';
import type { AppName, Env } from './schema';

/**
 * TLS towards a server whose certificate is checked against `ca` (PEM), or against Node's bundled public CAs when
 * `ca` is absent. There is deliberately no way to turn the check off.
 */
export interface TlsTrust {
  ca?: string;
}

export interface DatabaseTransport {
  /** DATABASE_URL without its TLS parameters (`sslmode`), which live in `tls` instead. */
  url: string;
  tls: TlsTrust | undefined;
}

/** Reads a PEM file named by a setting; a missing or non-PEM file is a configuration error naming the setting. */
export function readPemFile(variable: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      variable,
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (!text.includes('-----BEGIN ')) throw new ConfigError(variable, `${path} is not a PEM file`);
  return text;
}

/**
 * node-postgres merges the fields parsed from a connection string over the options it is given
 * (`Object.assign({}, config, parse(config.connectionString))` in pg's lib/connection-parameters.js,
 * https://github.com/brianc/node-postgres/blob/master/packages/pg/lib/connection-parameters.js), and TypeORM hands
 * pg both the URL as `connectionString` and its own `ssl` option (typeorm driver/postgres/PostgresDriver.ts
 * `createPool`). A URL with `sslmode` would therefore replace the `ssl: { ca }` built here, dropping the CA. So
 * `sslmode` is read here and removed from the URL, and TLS travels only as `ssl`. Of libpq's modes
 * (https://www.postgresql.org/docs/current/libpq-ssl.html) only `verify-full` and `disable` are accepted: the others
 * either skip checks in libpq or mean something else in pg (https://node-postgres.com/features/ssl).
 */
export function databaseTransport(env: Env): DatabaseTransport {
  const url = new URL(env.DATABASE_URL);
  for (const param of ['ssl', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat']) {
    if (url.searchParams.has(param)) {
      throw new ConfigError(
        'DATABASE_URL',
        `${param} is not supported; use sslmode=verify-full and DATABASE_CA_FILE`,
      );
    }
  }
  const mode = url.searchParams.get('sslmode');
  if (mode !== null && mode !== 'verify-full' && mode !== 'disable') {
    throw new ConfigError('DATABASE_URL', `sslmode must be verify-full or disable (got ${mode})`);
  }
  url.searchParams.delete('sslmode');
  const caFile = env.DATABASE_CA_FILE;
  if (mode === 'disable' && caFile) {
    throw new ConfigError('DATABASE_CA_FILE', 'set, but DATABASE_URL says sslmode=disable');
  }
  const tls = mode === 'verify-full' || caFile ? trust('DATABASE_CA_FILE', caFile) : undefined;
  return { url: url.toString(), tls };
}

/** `rediss://` turns TLS on (ioredis); REDIS_CA_FILE names the CA to check the server against. */
export function redisTransport(env: Env): { url: string; tls: TlsTrust | undefined } {
  const url = new URL(env.REDIS_URL);
  // ioredis copies URL query parameters over the options it is given, `tls` among them; one way in only.
  if (url.search) throw new ConfigError('REDIS_URL', 'query parameters are not supported');
  const secure = url.protocol === 'rediss:';
  if (env.REDIS_CA_FILE && !secure) {
    throw new ConfigError('REDIS_CA_FILE', 'set, but REDIS_URL does not start with rediss://');
  }
  return { url: env.REDIS_URL, tls: secure ? trust('REDIS_CA_FILE', env.REDIS_CA_FILE) : undefined };
}

const trust = (variable: string, caFile: string | undefined): TlsTrust =>
  caFile ? { ca: readPemFile(variable, caFile) } : {};

const DATABASE_APPS: AppName[] = ['connect-api', 'worker', 'scheduler', 'migrate', 'reseal'];
const REDIS_APPS: AppName[] = ['connect-api', 'worker', 'scheduler', 'dashboard'];
/** Processes that build OAuth redirect URIs from PUBLIC_BASE_URL. */
const PUBLIC_URL_APPS: AppName[] = ['connect-api', 'worker'];

/**
 * Production refuses cleartext: the public URL carries OAuth codes and must be HTTPS whatever the network; Postgres
 * (tokens, sealed) and Redis (OAuth state) must use TLS unless TRANSPORT_PRIVATE_NETWORK says no one else is on
 * their network. Without an app name every rule applies.
 */
export function requireProductionTransport(
  env: Env,
  app: AppName | undefined,
  transport: { database: DatabaseTransport; redisTls: TlsTrust | undefined },
): void {
  const uses = (apps: AppName[]) => app === undefined || apps.includes(app);
  if (uses(PUBLIC_URL_APPS) && new URL(env.PUBLIC_BASE_URL).protocol !== 'https:') {
    throw new ConfigError(
      'PUBLIC_BASE_URL',
      'must be https:// in production (browsers bring OAuth codes to it)',
    );
  }
  if (env.TRANSPORT_PRIVATE_NETWORK) return;
  if (uses(DATABASE_APPS) && !transport.database.tls) {
    throw new ConfigError(
      'DATABASE_URL',
      'TLS is required in production: add sslmode=verify-full (and DATABASE_CA_FILE for a private CA), ' +
        'or set TRANSPORT_PRIVATE_NETWORK=true',
    );
  }
  if (uses(REDIS_APPS) && !transport.redisTls) {
    throw new ConfigError(
      'REDIS_URL',
      'TLS is required in production: use rediss:// (and REDIS_CA_FILE for a private CA), ' +
        'or set TRANSPORT_PRIVATE_NETWORK=true',
    );
  }
}
