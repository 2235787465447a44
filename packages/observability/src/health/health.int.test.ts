import { Redis } from 'ioredis';
import { Client } from 'pg';
import { runHealthChecks } from './health';

// These checks only read (SELECT 1, PING), so the suite needs no database or key prefix of its own.
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = 'redis://127.0.0.1:6379';

describe('runHealthChecks against real services', () => {
  const pg = new Client({ connectionString: POSTGRES_URL });
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });

  beforeAll(async () => {
    await pg.connect();
    await redis.connect();
  });
  afterAll(async () => {
    await pg.end();
    redis.disconnect();
  });

  it('reports Postgres and Redis as ok', async () => {
    const report = await runHealthChecks(
      {
        postgres: async () => {
          const { rows } = await pg.query<{ one: number }>('SELECT 1 AS one');
          if (rows[0]?.one !== 1) throw new Error('unexpected SELECT 1 result');
        },
        redis: async () => {
          const reply = await redis.ping();
          if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
        },
      },
      { timeoutMs: 2000 },
    );
    expect(report).toEqual({
      status: 'ok',
      checks: {
        postgres: { status: 'ok', latencyMs: expect.any(Number) },
        redis: { status: 'ok', latencyMs: expect.any(Number) },
      },
    });
  });

  it('reports a failing query and an unreachable Redis', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      const report = await runHealthChecks(
        {
          postgres: async () => {
            await pg.query('SELECT * FROM table_that_does_not_exist_in_health_test');
          },
          redis: async () => {
            await unreachable.connect();
            await unreachable.ping();
          },
        },
        { timeoutMs: 2000 },
      );
      expect(report.status).toBe('fail');
      expect(report.checks.postgres?.error).toContain('does not exist');
      expect(report.checks.redis?.error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      unreachable.disconnect();
    }
  });
});
