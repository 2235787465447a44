import { connectApiConfig, type ConnectApiConfig } from './connectApi';
import { contentIndexConfig } from './contentIndex';
import { ConfigError } from './errors';
import { DEV_VAULT_KEYS, parseVaultKeys, type VaultKeysConfig } from './keyring';
import { dashboardConfig, type DashboardConfig } from './dashboard';
import { deletionConfig, type DeletionConfig } from './deletion';
import { schedulerConfig, type SchedulerConfig } from './scheduler';
import { providersConfig, type ProvidersConfig } from './providers';
import { envSchema, type AppName, type Env } from './schema';
import { databaseTransport, redisTransport, requireProductionTransport, type TlsTrust } from './transport';
import { workerConfig, type WorkerConfig } from './worker';

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  /** `tls` set: connect with TLS, checking the server's certificate (see transport.ts). */
  database: { url: string; poolSize: number; tls: TlsTrust | undefined };
  redis: { url: string; tls: TlsTrust | undefined };
  /** Every process's BullMQ key prefix; one setting, so producers and consumers always meet. */
  queues: { prefix: string };
  vault: VaultKeysConfig;
  /** The secrets of blind indexes and the keyed content hash (CONTENT_INDEX_KEY). */
  contentIndex: VaultKeysConfig;
  connectApi: ConnectApiConfig;
  providers: ProvidersConfig;
  worker: WorkerConfig;
  scheduler: SchedulerConfig;
  dashboard: DashboardConfig;
  deletion: DeletionConfig;
}

type EnvSource = Record<string, string | undefined>;

/** Parses the environment into a typed config; throws ConfigError naming the first bad variable. */
export function loadConfig(source: EnvSource = process.env, app?: AppName): Config {
  // An empty variable is treated as unset, as shells and compose files commonly export `FOO=`.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'invalid');
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production) requireProductionSecrets(env, app);
  const database = databaseTransport(env);
  const redis = redisTransport(env);
  if (production) requireProductionTransport(env, app, { database, redisTls: redis.tls });
  const mode = env.PROVIDER_MODE ?? (production ? 'live' : 'sandbox');
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    database: { ...database, poolSize: env.DATABASE_POOL_SIZE },
    redis,
    queues: { prefix: env.WORKER_QUEUE_PREFIX },
    vault: parseVaultKeys(env.VAULT_KEYS ?? DEV_VAULT_KEYS, env.VAULT_ACTIVE_KEY_ID),
    contentIndex: contentIndexConfig(env),
    connectApi: connectApiConfig(env),
    providers: providersConfig({ ...env, PROVIDER_MODE: mode }),
    worker: workerConfig(env),
    scheduler: schedulerConfig(env),
    dashboard: dashboardConfig(env),
    deletion: deletionConfig(env),
  };
}

/**
 * Secrets with public development defaults, and the processes that use them. Without an app name every one is
 * required, which is what a tool that serves all of them (or a test) wants.
 */
const PRODUCTION_SECRETS: ReadonlyArray<{ variable: keyof Env & string; what: string; apps: AppName[] }> = [
  {
    variable: 'VAULT_KEYS',
    what: 'the development key',
    apps: ['connect-api', 'worker', 'reseal', 'seal-content'],
  },
  {
    variable: 'CONTENT_INDEX_KEY',
    what: 'the development index key',
    apps: ['connect-api', 'worker', 'seal-content'],
  },
  { variable: 'SERVICE_TOKENS', what: 'the development token', apps: ['connect-api'] },
  { variable: 'DASHBOARD_PASSWORD', what: 'the development password', apps: ['dashboard'] },
  {
    variable: 'DELETION_RECEIPT_KEYS',
    what: 'the development receipt key',
    apps: ['connect-api', 'worker'],
  },
];

function requireProductionSecrets(env: Env, app: AppName | undefined): void {
  for (const secret of PRODUCTION_SECRETS) {
    if ((app === undefined || secret.apps.includes(app)) && !env[secret.variable]) {
      throw new ConfigError(secret.variable, `required in production (${secret.what} is public)`);
    }
  }
}

/** For process entry points: a bad value ends the process with one line on stderr, not a stack trace. */
export function loadConfigOrExit(app: AppName, source: EnvSource = process.env): Config {
  try {
    return loadConfig(source, app);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`crm-sync: invalid configuration: ${error.message}\n`);
    process.exit(78); // EX_CONFIG from sysexits.h
  }
}
