export {
  DEFAULT_HEALTH_TIMEOUT_MS,
  runHealthChecks,
  type CheckResult,
  type HealthCheck,
  type HealthOptions,
  type HealthReport,
  type HealthStatus,
} from './health/health';
export {
  createLogger,
  DEFAULT_LOG_LEVEL,
  REDACT_PATHS,
  type Logger,
  type LoggerConfig,
  type LogLevel,
} from './logging/logger';
export { CENSOR, isSensitiveKey, redactDeep, redactString } from './logging/redact';
export {
  createMetrics,
  DEFAULT_METRICS_PREFIX,
  type HistogramSpec,
  type MetricSpec,
  type Metrics,
  type MetricsOptions,
} from './metrics/metrics';
export { startOpsServer } from './ops/opsServer';
export { runProcess, type Stop } from './process/runProcess';
