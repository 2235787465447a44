import { ConfigError, loadConfig } from './index';

describe('worker configuration', () => {
  it('consumes every sync queue with development defaults', () => {
    const { worker, queues } = loadConfig({});
    expect(queues.prefix).toBe('crm-sync');
    expect(worker.queues).toEqual([
      'sync-google',
      'sync-microsoft',
      'sync-hubspot',
      'token-refresh',
      'connection-events',
      'audit',
    ]);
    expect(worker).toMatchObject({
      concurrency: 4,
      audit: { maxCallsPerRun: 2_000, callsPerMinute: 120 },
      sliceMs: 20_000,
      http: { host: '127.0.0.1', port: 3001 },
      limiters: { 'sync-google': { max: 50, durationMs: 1000 } },
    });
  });

  it('gives every process the one queue prefix', () => {
    const config = loadConfig({ WORKER_QUEUE_PREFIX: 'tenant-a' });
    expect(config.queues.prefix).toBe('tenant-a');
  });

  it('parses queues, limits and numbers', () => {
    const { worker } = loadConfig({
      WORKER_QUEUES: ' sync-hubspot , sync-google,sync-hubspot',
      WORKER_CONCURRENCY: '12',
      WORKER_LIMIT_HUBSPOT: '100 / 10000',
      SYNC_SLICE_MS: '500',
      TOKEN_REFRESH_MARGIN_MS: '0',
    });
    expect(worker.queues).toEqual(['sync-hubspot', 'sync-google']);
    expect(worker.concurrency).toBe(12);
    expect(worker.limiters['sync-hubspot']).toEqual({ max: 100, durationMs: 10_000 });
    expect(worker.sliceMs).toBe(500);
    expect(worker.tokenRefreshMarginMs).toBe(0);
  });

  it.each([
    ['WORKER_QUEUES', 'sync-google,crm-notifications', /crm-notifications/],
    ['WORKER_QUEUES', ' , ', /at least one/],
    ['WORKER_LIMIT_GOOGLE', '50 per second', /<jobs>\/<milliseconds>/],
    ['WORKER_LIMIT_MICROSOFT', '0/1000', /<jobs>\/<milliseconds>/],
    ['WORKER_CONCURRENCY', '0', /./],
    ['SYNC_SLICE_MS', 'fast', /./],
    ['AUDIT_INTERVAL_MS', '1000', /0 \(off\) or at least 60000/],
    ['AUDIT_CALLS_PER_MINUTE', '0', /./],
  ])('refuses %s=%s', (variable, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(message);
  });
});
