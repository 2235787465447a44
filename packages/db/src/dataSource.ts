import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  url: string;
  logging?: boolean;
  poolSize?: number;
  /** Shows up in pg_stat_activity, so an operator can tell the worker's sessions from the scheduler's. */
  applicationName?: string;
}

export const DATA_SOURCE_DEFAULTS = {
  logging: false,
  poolSize: 10,
  applicationName: 'crm-sync',
} as const satisfies Omit<DataSourceOptions, 'url'>;

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** A DataSource over crm-sync's schema; call `initialize()` before use and `destroy()` on shutdown. */
export function createDataSource(options: DataSourceOptions): DataSource {
  const { url, logging, poolSize, applicationName } = { ...DATA_SOURCE_DEFAULTS, ...options };
  return new DataSource({
    type: 'postgres',
    url,
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
