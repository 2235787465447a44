// `tsx infra/observability/check.ts` (in `npm run check:root`): the alert rules and the Grafana dashboard are what
// an operator relies on at 3 a.m., so each is checked against the code: the files parse, every expression is valid
// PromQL, and every metric an expression names is one an app registers (so a renamed metric cannot silently empty
// a panel or mute an alert).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { registeredMetrics, selected } from './promql';

const ROOT = resolve(__dirname, '..', '..');
const HERE = join(ROOT, 'infra', 'observability');

const RULES = z.strictObject({
  groups: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        rules: z
          .array(
            z.strictObject({
              alert: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
              expr: z.string().min(1),
              for: z
                .string()
                .regex(/^\d+[smhd]$/)
                .optional(),
              labels: z.strictObject({ severity: z.enum(['page', 'ticket']) }),
              annotations: z.strictObject({ summary: z.string().min(1), description: z.string().min(1) }),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});

const DASHBOARD = z.looseObject({
  title: z.string().min(1),
  uid: z.string().min(1),
  panels: z
    .array(
      z.looseObject({
        title: z.string().min(1),
        targets: z.array(z.looseObject({ expr: z.string().min(1) })).min(1),
      }),
    )
    .min(1),
});

/** Series Prometheus itself provides for every scrape target. */
const BUILT_IN = new Set(['up']);

function check(): string[] {
  const problems: string[] = [];
  const known = registeredMetrics(ROOT);
  const expressions: Array<{ where: string; expr: string }> = [];
  const rules = RULES.safeParse(parseYaml(readFileSync(join(HERE, 'alerts.yml'), 'utf8')));
  if (!rules.success)
    problems.push(
      `alerts.yml: ${rules.error.issues[0]?.message} at ${rules.error.issues[0]?.path.join('.')}`,
    );
  else
    for (const g of rules.data.groups)
      for (const r of g.rules) expressions.push({ where: `alerts.yml ${r.alert}`, expr: r.expr });
  const dashboard = DASHBOARD.safeParse(JSON.parse(readFileSync(join(HERE, 'dashboard.json'), 'utf8')));
  if (!dashboard.success) problems.push(`dashboard.json: ${dashboard.error.issues[0]?.message}`);
  else
    for (const p of dashboard.data.panels)
      for (const t of p.targets) expressions.push({ where: `dashboard.json "${p.title}"`, expr: t.expr });
  for (const { where, expr } of expressions) {
    const result = selected(expr);
    if ('error' in result) problems.push(`${where}: ${result.error}`);
    else
      for (const name of result.names)
        if (!known.has(name) && !BUILT_IN.has(name)) problems.push(`${where}: no app exports ${name}`);
  }
  return problems;
}

const problems = check();
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('alert rules and dashboard: every expression parses and names only exported metrics\n');
