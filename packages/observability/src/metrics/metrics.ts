import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';

export interface MetricsOptions {
  /** Prefix for the default process metrics (`crm_sync_` gives `crm_sync_process_cpu_seconds_total`). */
  prefix?: string;
  /** Labels added to every series, e.g. `{ app: 'worker' }`. */
  defaultLabels?: Record<string, string>;
  /** Process and Node.js runtime metrics; on unless turned off. */
  collectDefaults?: boolean;
}

export interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

export interface HistogramSpec<L extends string> extends MetricSpec<L> {
  buckets?: number[];
}

export interface Metrics {
  registry: Registry;
  /** Returns the counter registered under `name`, creating it on first use. */
  counter<L extends string = string>(spec: MetricSpec<L>): Counter<L>;
  gauge<L extends string = string>(spec: MetricSpec<L>): Gauge<L>;
  histogram<L extends string = string>(spec: HistogramSpec<L>): Histogram<L>;
  /** The body for `GET /metrics`. */
  render(): Promise<string>;
  /** The Content-Type header for that body. */
  contentType: string;
}

export const DEFAULT_METRICS_PREFIX = 'crm_sync_';

type Kind = 'counter' | 'gauge' | 'histogram';

/**
 * One registry per process. Metric helpers are idempotent by name so any module can ask for
 * `sync_pages_total` without coordinating who creates it; asking for the same name with a different kind or
 * different labels is a programming error and throws.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.collectDefaults ?? true) {
    collectDefaultMetrics({ register: registry, prefix: options.prefix ?? DEFAULT_METRICS_PREFIX });
  }
  const created = new Map<string, { kind: Kind; labels: string; metric: Metric }>();

  function once<M extends Metric>(kind: Kind, spec: MetricSpec<string>, make: () => M): M {
    const labels = [...(spec.labelNames ?? [])].sort().join(',');
    const existing = created.get(spec.name);
    if (existing) {
      if (existing.kind !== kind || existing.labels !== labels) {
        throw new Error(
          `metric "${spec.name}" already exists as a ${existing.kind} with labels [${existing.labels}]`,
        );
      }
      return existing.metric as M;
    }
    const metric = make();
    created.set(spec.name, { kind, labels, metric });
    return metric;
  }

  return {
    registry,
    counter: <L extends string>(spec: MetricSpec<L>) =>
      once('counter', spec, () => new Counter<L>({ ...spec, registers: [registry] })),
    gauge: <L extends string>(spec: MetricSpec<L>) =>
      once('gauge', spec, () => new Gauge<L>({ ...spec, registers: [registry] })),
    histogram: <L extends string>(spec: HistogramSpec<L>) =>
      once('histogram', spec, () => {
        // An explicit `buckets: undefined` would override prom-client's default buckets and break the metric.
        const { buckets, ...rest } = spec;
        return new Histogram<L>({ ...rest, ...(buckets ? { buckets } : {}), registers: [registry] });
      }),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
