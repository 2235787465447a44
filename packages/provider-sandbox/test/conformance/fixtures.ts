import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Allowance, shapeDifferences } from './shape';

/** A recorded or documented provider response from test/fixtures/<provider>/ (sources in each SOURCES.md). */
export function fixture(provider: 'google' | 'microsoft' | 'hubspot', name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', provider, `${name}.json`), 'utf8'));
}

/**
 * Fails with every difference between a sandbox response and the fixture that is not allowed, and with every
 * allowance that no longer matches anything (so the allow-list shrinks as the sandbox gets closer).
 */
export function expectConformant(ours: unknown, real: unknown, allowed: readonly Allowance[] = []): void {
  const all = shapeDifferences(ours, real);
  const unexpected = all.filter((d) => !allowed.some((a) => a.kind === d.kind && a.path === d.path));
  const stale = allowed.filter((a) => !all.some((d) => a.kind === d.kind && a.path === d.path));
  const lines = [
    ...unexpected.map((d) => `${d.kind} ${d.path}: ${d.detail}`),
    ...stale.map((a) => `allowance no longer needed: ${a.kind} ${a.path}`),
  ];
  if (lines.length > 0) throw new Error(`shape differs from the real response:\n  ${lines.join('\n  ')}`);
}
