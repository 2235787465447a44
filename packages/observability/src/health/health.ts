import { redactString } from '../logging/redact';

/** Resolves when the dependency is usable; rejects (or hangs, and is timed out) when it is not. */
export type HealthCheck = () => Promise<void>;

export type HealthStatus = 'ok' | 'fail';

export interface CheckResult {
  status: HealthStatus;
  latencyMs: number;
  /** Why the check failed; scrubbed of credentials, since health output is often public to the cluster. */
  error?: string;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, CheckResult>;
}

export interface HealthOptions {
  /** Per check; a check still running after this counts as failed. */
  timeoutMs?: number;
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;

/** Runs every check concurrently; the report is `ok` only if every check is. */
export async function runHealthChecks(
  checks: Record<string, HealthCheck>,
  options: HealthOptions = {},
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const),
  );
  const results = Object.fromEntries(entries);
  const status = entries.every(([, r]) => r.status === 'ok') ? 'ok' : 'fail';
  return { status, checks: results };
}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // Promise.resolve().then turns a synchronous throw from a badly written check into a failure too.
    await Promise.race([Promise.resolve().then(check), timeout]);
    return { status: 'ok', latencyMs: elapsed(started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'fail', latencyMs: elapsed(started), error: redactString(message || 'failed') };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
