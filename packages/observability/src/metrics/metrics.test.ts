import { createMetrics } from './metrics';

describe('createMetrics', () => {
  it('renders default process metrics with the prefix and default labels', async () => {
    const metrics = createMetrics({ prefix: 'test_', defaultLabels: { app: 'worker' } });
    const text = await metrics.render();
    expect(text).toMatch(/^test_process_cpu_user_seconds_total\{app="worker"\} \d/m);
    expect(text).toContain('test_nodejs_eventloop_lag_seconds');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('creates a counter once per name and renders its series', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const spec = { name: 'sync_pages_total', help: 'Pages synced', labelNames: ['provider'] as const };
    const first = metrics.counter(spec);
    const again = metrics.counter(spec);
    expect(again).toBe(first);
    first.inc({ provider: 'google' });
    again.inc({ provider: 'google' }, 2);
    expect(await metrics.render()).toContain('sync_pages_total{provider="google"} 3');
  });

  it('observes histograms into the given buckets', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const h = metrics.histogram({
      name: 'job_seconds',
      help: 'Job duration',
      labelNames: ['queue'],
      buckets: [1, 5],
    });
    h.observe({ queue: 'sync-google' }, 2);
    const text = await metrics.render();
    expect(text).toContain('job_seconds_bucket{le="1",queue="sync-google"} 0');
    expect(text).toContain('job_seconds_bucket{le="5",queue="sync-google"} 1');
    expect(metrics.histogram({ name: 'job_seconds', help: 'Job duration', labelNames: ['queue'] })).toBe(h);
  });

  it('uses default buckets when buckets is explicitly undefined', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    metrics.histogram({ name: 'lat_seconds', help: 'Latency', buckets: undefined }).observe(0.2);
    expect(await metrics.render()).toContain('lat_seconds_bucket{le="0.25"} 1');
  });

  it('throws when a name is reused with another kind or other labels', () => {
    const metrics = createMetrics({ collectDefaults: false });
    metrics.counter({ name: 'dup_total', help: 'x', labelNames: ['a'] });
    expect(() => metrics.gauge({ name: 'dup_total', help: 'x', labelNames: ['a'] })).toThrow(
      /already exists as a counter/,
    );
    expect(() => metrics.counter({ name: 'dup_total', help: 'x', labelNames: ['b'] })).toThrow(
      /labels \[a\]/,
    );
  });

  it('keeps registries separate, so two apps in one test process do not collide', async () => {
    const one = createMetrics({ collectDefaults: false });
    const two = createMetrics({ collectDefaults: false });
    one.gauge({ name: 'queue_depth', help: 'Jobs waiting' }).set(4);
    two.gauge({ name: 'queue_depth', help: 'Jobs waiting' }).set(7);
    expect(await one.render()).toContain('queue_depth 4');
    expect(await two.render()).toContain('queue_depth 7');
  });
});
