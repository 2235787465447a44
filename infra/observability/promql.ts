// What the infra checks (infra/observability/check.ts, infra/k8s/check.ts) ask of a PromQL expression and of the
// code: which metrics an expression selects, with which label matchers, and which metrics the apps register.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';

/** A `label op "value"` matcher of a selector, e.g. `queue="sync-google"`. */
export interface LabelMatcher {
  metric: string;
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Metric names registered in the apps and packages (`metrics.counter|gauge|histogram({ name: '…' })`). */
export function registeredMetrics(root: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === 'node_modules' || entry === 'dist') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !/\.test\.ts$/.test(path)) {
        const source = readFileSync(path, 'utf8');
        for (const m of source.matchAll(
          /\.(counter|gauge|histogram)(?:<[^>]*>)?\(\{\s*name: '(crm_sync_[a-z0-9_]+)'/g,
        )) {
          const [, kind, name] = m as unknown as [string, string, string];
          names.add(name);
          if (kind === 'histogram')
            for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
        }
      }
    }
  };
  for (const top of ['apps', 'packages']) walk(join(root, top));
  return names;
}

/** The metric names an expression selects and its label matchers, or the reason it does not parse. */
export function selected(expr: string): { names: string[]; matchers: LabelMatcher[] } | { error: string } {
  const tree = parser.parse(expr);
  const names: string[] = [];
  const matchers: LabelMatcher[] = [];
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  let error: string | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError)
        error ??= `PromQL does not parse at ${node.from}: ${expr.slice(node.from, node.from + 30)}`;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.push(text(node));
      if (node.name === 'UnquotedLabelMatcher') {
        const selector = node.node.parent?.parent;
        const metric = selector?.getChild('Identifier');
        const label = node.node.getChild('LabelName');
        const op = node.node.getChild('MatchOp');
        const value = node.node.getChild('StringLiteral');
        if (metric && label && op && value)
          matchers.push({
            metric: text(metric),
            label: text(label),
            op: text(op) as LabelMatcher['op'],
            value: JSON.parse(text(value)) as string,
          });
      }
    },
  });
  return error ? { error } : { names, matchers };
}
