import type { TlsTrust } from '@crm-sync/config';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  url: string;
  logging?: boolean;
  poolSize?: number;
  /** Shows up in pg_stat_activity, so an operator can tell the worker's sessions from the scheduler's. */
  applicationName?: string;
  /** TLS with the server's certificate checked (config's `database.tls`); absent: a plain connection. */
  tls?: TlsTrust;
}

/**
 * node-postgres `ssl` for a TLS setting: `{ ca }` or `{}` (Node's public CAs). pg hands it to `tls.connect`, whose
 * `rejectUnauthorized` defaults to true (https://nodejs.org/api/tls.html#tlsconnectoptions-callback), and checks the
 * host name too (https://node-postgres.com/features/ssl), so this is libpq's verify-full.
 */
export const pgSsl = (tls: TlsTrust | undefined): TlsTrust | false => (tls ? { ...tls } : false);

export const DATA_SOURCE_DEFAULTS = {
  logging: false,
  poolSize: 10,
  applicationName: 'crm-sync',
} as const satisfies Omit<DataSourceOptions, 'url'>;

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** A DataSource over crm-sync's schema; call `initialize()` before use and `destroy()` on shutdown. */
export function createDataSource(options: DataSourceOptions): DataSource {
  const { url, logging, poolSize, applicationName, tls } = { ...DATA_SOURCE_DEFAULTS, ...options };
  return new DataSource({
    type: 'postgres',
    url,
    ssl: pgSsl(tls),
    logging,
    poolSize,
    applicationName,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    // Each migration commits on its own, so a failure leaves the earlier ones applied and recorded.
    migrationsTransactionMode: 'each',
    synchronize: false,
    // The schema uses the built-in gen_random_uuid(); creating extensions would need a superuser.
    installExtensions: false,
  });
}
