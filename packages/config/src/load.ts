import { ConfigError } from './errors';
import { DEV_VAULT_KEYS, parseVaultKeys, type VaultKeysConfig } from './keyring';
import { schedulerConfig, type SchedulerConfig } from './scheduler';
import { providersConfig, type ProvidersConfig } from './providers';
import { envSchema, type Env } from './schema';
import { DEV_SERVICE_TOKENS, parseServiceTokens, type ServiceToken } from './serviceTokens';
import { workerConfig, type WorkerConfig } from './worker';

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  database: { url: string; poolSize: number };
  redis: { url: string };
  vault: VaultKeysConfig;
  connectApi: {
    host: string;
    port: number;
    publicBaseUrl: string;
    serviceTokens: ServiceToken[];
    allowedRedirectOrigins: string[];
    callbackRateLimitPerMinute: number;
    bodyLimitBytes: number;
  };
  providers: ProvidersConfig;
  worker: WorkerConfig;
  scheduler: SchedulerConfig;
}

type EnvSource = Record<string, string | undefined>;

/** Parses the environment into a typed config; throws ConfigError naming the first bad variable. */
export function loadConfig(source: EnvSource = process.env): Config {
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
  if (production && !env.VAULT_KEYS) {
    throw new ConfigError('VAULT_KEYS', 'required in production (the development key is public)');
  }
  if (production && !env.SERVICE_TOKENS) {
    throw new ConfigError('SERVICE_TOKENS', 'required in production (the development token is public)');
  }
  const mode = env.PROVIDER_MODE ?? (production ? 'live' : 'sandbox');
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    redis: { url: env.REDIS_URL },
    vault: parseVaultKeys(env.VAULT_KEYS ?? DEV_VAULT_KEYS, env.VAULT_ACTIVE_KEY_ID),
    connectApi: {
      host: env.CONNECT_API_HOST,
      port: env.CONNECT_API_PORT,
      publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/+$/, ''),
      serviceTokens: parseServiceTokens(env.SERVICE_TOKENS ?? DEV_SERVICE_TOKENS),
      allowedRedirectOrigins: parseOrigins(env.ALLOWED_REDIRECT_ORIGINS),
      callbackRateLimitPerMinute: env.CALLBACK_RATE_LIMIT_PER_MINUTE,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
    },
    providers: providersConfig({ ...env, PROVIDER_MODE: mode }),
    worker: workerConfig(env),
    scheduler: schedulerConfig(env),
  };
}

function parseOrigins(raw: string): string[] {
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((origin) => {
      try {
        return new URL(origin).origin;
      } catch {
        throw new ConfigError(
          'ALLOWED_REDIRECT_ORIGINS',
          `"${origin}" is not an origin such as https://crm.example.com`,
        );
      }
    });
}

/** For process entry points: a bad value ends the process with one line on stderr, not a stack trace. */
export function loadConfigOrExit(source: EnvSource = process.env): Config {
  try {
    return loadConfig(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`crm-sync: invalid configuration: ${error.message}\n`);
    process.exit(78); // EX_CONFIG from sysexits.h
  }
}
