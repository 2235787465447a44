import { loadConfigOrExit, type AppName, type Config } from '@crm-sync/config';
import { createDataSource } from '@crm-sync/db';
import {
  createLogger,
  createMetrics,
  type HealthCheck,
  type Logger,
  type Metrics,
} from '@crm-sync/observability';
import { createRedisConnection, JobProducer, type RedisConnectionOptions } from '@crm-sync/queue';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

export interface RuntimeOptions {
  /** Names the process: its configuration checks, log lines, metrics labels and database/Redis client names. */
  app: AppName;
  /** The shared Redis connection's role (see @crm-sync/queue createRedisConnection). */
  redisRole: RedisConnectionOptions['role'];
  /** Overrides the configured pool size (a scheduler needs few connections). */
  poolSize?: number;
  /** Loads the configuration; tests pass a fixed one. Default: the environment, exiting 78 on a bad value. */
  loadConfig?: () => Config;
}

/** What every app starts with, built once, in one way; `close` releases it in the reverse order. */
export interface Runtime {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  redis: Redis;
  /** Sends to the configured queue prefix, the only one there is (`WORKER_QUEUE_PREFIX`). */
  producer: JobProducer;
  /** `/healthz` checks for what this runtime opened. */
  health: Record<string, HealthCheck>;
  /** Another Redis connection, closed with the runtime (BullMQ workers block on theirs). */
  redisConnection(name: string, role: RedisConnectionOptions['role']): Redis;
  close(): Promise<void>;
}

/** Postgres or Redis could not be reached at start (refused, TLS verification failed, ...); names which. */
export class RuntimeStartError extends Error {
  override name = 'RuntimeStartError';
  constructor(
    readonly service: 'Postgres' | 'Redis',
    cause: unknown,
  ) {
    super(`${service}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Resolves once the connection is ready; rejects on its first error. A bad address or certificate then stops the
 * start with its reason, where ioredis alone would retry (and a worker connection wait) without end.
 */
function ready(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      redis.off('error', onError);
      resolve();
    };
    const onError = (error: unknown) => {
      redis.off('ready', onReady);
      reject(new RuntimeStartError('Redis', error));
    };
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}

export interface DatabaseRuntime extends Runtime {
  db: DataSource;
}

/** Opens the configuration, logger, metrics, Redis and the job producer, and with `database: true` Postgres. */
export async function startRuntime(options: RuntimeOptions & { database: true }): Promise<DatabaseRuntime>;
export async function startRuntime(options: RuntimeOptions & { database?: false }): Promise<Runtime>;
export async function startRuntime(
  options: RuntimeOptions & { database?: boolean },
): Promise<Runtime | DatabaseRuntime> {
  const config = (options.loadConfig ?? (() => loadConfigOrExit(options.app)))();
  const logger = createLogger({ name: options.app, level: config.logLevel });
  const metrics = createMetrics({ defaultLabels: { app: options.app } });
  const redisConnections: Redis[] = [];
  const redisConnection = (name: string, role: RedisConnectionOptions['role']) => {
    const connection = createRedisConnection({
      url: config.redis.url,
      tls: config.redis.tls,
      role,
      connectionName: name,
    });
    redisConnections.push(connection);
    return connection;
  };
  const redis = redisConnection(options.app, options.redisRole);
  const producer = new JobProducer({ connection: redis, prefix: config.queues.prefix });
  const health: Record<string, HealthCheck> = { redis: async () => void (await redis.ping()) };
  let db: DataSource | undefined;
  const close = async () => {
    await producer.close();
    await Promise.all(redisConnections.map((c) => c.quit()));
    await db?.destroy();
  };
  try {
    await ready(redis);
    if (options.database) {
      db = createDataSource({
        url: config.database.url,
        tls: config.database.tls,
        poolSize: options.poolSize ?? config.database.poolSize,
        applicationName: `crm-sync-${options.app}`,
      });
      await db.initialize().catch((error: unknown) => {
        throw new RuntimeStartError('Postgres', error);
      });
      const opened = db;
      health.postgres = async () => void (await opened.query('SELECT 1'));
    }
  } catch (error) {
    // Nothing may keep the process alive after a failed start: a worker's Redis would retry for ever.
    for (const connection of redisConnections) connection.disconnect();
    if (db?.isInitialized) await db.destroy();
    throw error;
  }
  const runtime: Runtime = { config, logger, metrics, redis, producer, health, redisConnection, close };
  return db ? { ...runtime, db } : runtime;
}
