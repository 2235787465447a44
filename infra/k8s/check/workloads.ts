// Project rules for every Deployment and Job: hardened pods, probes on the apps' real endpoints, resources, a
// disruption budget and a network policy of their own, egress only to what the app uses, commands that exist.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { where, type Manifest } from './manifests';

export interface Workload {
  manifest: Manifest;
  labels: Record<string, string>;
  pod: IPodSpec;
  /** Which app the command starts (packages/config AppName), or undefined when it starts none known. */
  app: string | undefined;
}

const NAME_LABEL = 'app.kubernetes.io/name';

export function workloadsOf(manifests: Manifest[]): Workload[] {
  return manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
    .map((manifest) => {
      const template = (
        manifest.doc.spec as { template: { metadata?: { labels?: Record<string, string> }; spec: IPodSpec } }
      ).template;
      const command = template.spec.containers[0]?.command ?? [];
      return { manifest, labels: template.metadata?.labels ?? {}, pod: template.spec, app: appOf(command) };
    });
}

/** The entry file a `node [flags] <entry> [args]` command runs: the first argument that is no flag. */
const entryOf = (command: string[]): string | undefined =>
  command[0] === 'node'
    ? command.slice(1).find((arg, i, rest) => !arg.startsWith('-') && rest[i - 1] !== '--import')
    : undefined;

/** `apps/<app>/src/main.ts` starts that app; packages/db's migrate CLI is the migration. */
function appOf(command: string[]): string | undefined {
  const entry = entryOf(command) ?? '';
  if (entry === 'packages/db/src/cli/migrate.ts') return 'migrate';
  return /^apps\/([a-z-]+)\/src\/main\.ts$/.exec(entry)?.[1];
}

/**
 * The command is Node itself (PID 1 gets SIGTERM; npm and sh would not pass it on), its entry file exists, and it
 * carries the Node flags the app's package.json asks for (`config.nodeOptions`, e.g. the worker's heap cap).
 */
function checkCommand(
  root: string,
  subject: string,
  command: string[] | undefined,
  problems: string[],
): void {
  const entry = entryOf(command ?? []);
  if (!command || !entry) {
    problems.push(`${subject}: the command must be \`node [flags] <entry>\` (got ${command?.join(' ')})`);
    return;
  }
  if (!existsSync(join(root, entry))) problems.push(`${subject}: ${entry} does not exist`);
  const app = /^apps\/[a-z-]+/.exec(entry)?.[0];
  const manifest = app ? join(root, app, 'package.json') : undefined;
  const wanted =
    manifest && existsSync(manifest)
      ? ((JSON.parse(readFileSync(manifest, 'utf8')) as { config?: { nodeOptions?: string } }).config
          ?.nodeOptions ?? '')
      : '';
  for (const flag of wanted.split(/\s+/).filter(Boolean))
    if (!command.includes(flag))
      problems.push(`${subject}: misses ${flag} (${app}/package.json config.nodeOptions)`);
}

function checkContainer(w: Workload, c: IContainer, root: string, problems: string[]): void {
  const subject = `${where(w.manifest)} container ${c.name}`;
  checkCommand(root, subject, c.command, problems);
  const security = c.securityContext;
  if (security?.allowPrivilegeEscalation !== false)
    problems.push(`${subject}: allowPrivilegeEscalation must be false`);
  if (security?.readOnlyRootFilesystem !== true)
    problems.push(`${subject}: readOnlyRootFilesystem must be true`);
  if (!security?.capabilities?.drop?.includes('ALL')) problems.push(`${subject}: capabilities must drop ALL`);
  for (const side of ['requests', 'limits'] as const)
    for (const resource of ['cpu', 'memory'])
      if (!c.resources?.[side]?.[resource])
        problems.push(`${subject}: resources.${side}.${resource} is missing`);
  if (w.manifest.kind !== 'Deployment') return;
  const ports = new Set((c.ports ?? []).map((p) => p.name));
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
    const get = c[probe]?.httpGet;
    if (!get) {
      problems.push(`${subject}: ${probe} must be an httpGet`);
      continue;
    }
    // Every app serves /healthz; /metrics is served by the ops server, on the port named `metrics`.
    const served = get.port === 'metrics' ? ['/healthz', '/metrics'] : ['/healthz'];
    if (!ports.has(String(get.port))) problems.push(`${subject}: ${probe} port ${get.port} is no named port`);
    if (!served.includes(String(get.path)))
      problems.push(`${subject}: ${probe} path ${get.path} is not served there`);
  }
}

type Selector = { matchLabels?: Record<string, string> } | undefined;

/** Egress labels (base/network-policies.yaml) and who may carry them: what each app's code talks to. */
const EGRESS: Record<string, { variable?: string; apps?: string[] }> = {
  'crm-sync/egress-postgres': { variable: 'DATABASE_URL' },
  'crm-sync/egress-redis': { variable: 'REDIS_URL' },
  // The apps that call Google, Microsoft and HubSpot (the scheduler only reads its adapters' documented rules).
  'crm-sync/egress-providers': { apps: ['connect-api', 'worker'] },
};

export function checkWorkloads(manifests: Manifest[], root: string, problems: string[]): void {
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
  const budgets = manifests.filter((m) => m.kind === 'PodDisruptionBudget');
  const spec = (m: Manifest) =>
    m.doc.spec as { podSelector?: Selector; selector?: Selector; policyTypes?: string[] };
  const denyAll = policies.some(
    (p) =>
      Object.keys(spec(p).podSelector?.matchLabels ?? {}).length === 0 &&
      !('ingress' in spec(p)) &&
      !('egress' in spec(p)) &&
      ['Ingress', 'Egress'].every((t) => spec(p).policyTypes?.includes(t)),
  );
  if (!denyAll)
    problems.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  for (const w of workloadsOf(manifests)) {
    const subject = where(w.manifest);
    if (!w.app) problems.push(`${subject}: its command starts no known app`);
    if (w.pod.automountServiceAccountToken !== false)
      problems.push(`${subject}: automountServiceAccountToken must be false`);
    if (w.pod.securityContext?.runAsNonRoot !== true) problems.push(`${subject}: runAsNonRoot must be true`);
    if (w.pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${subject}: seccompProfile must be RuntimeDefault`);
    for (const c of w.pod.containers) checkContainer(w, c, root, problems);
    const own = (m: Manifest) => spec(m).podSelector?.matchLabels?.[NAME_LABEL] === w.labels[NAME_LABEL];
    if (!policies.some(own))
      problems.push(`${subject}: no NetworkPolicy of its own (podSelector ${NAME_LABEL})`);
    if (
      w.manifest.kind === 'Deployment' &&
      !budgets.some((b) => spec(b).selector?.matchLabels?.[NAME_LABEL] === w.labels[NAME_LABEL])
    )
      problems.push(`${subject}: no PodDisruptionBudget selects it`);
    const env = new Set(w.pod.containers.flatMap((c) => (c.env ?? []).map((e) => e.name)));
    for (const [label, need] of Object.entries(EGRESS)) {
      const needed = need.variable ? env.has(need.variable) : need.apps?.includes(w.app ?? '');
      const has = w.labels[label] === 'true';
      if (needed && !has) problems.push(`${subject}: needs the ${label} label`);
      if (!needed && has) problems.push(`${subject}: carries ${label} but does not use it`);
      if (has && !policies.some((p) => spec(p).podSelector?.matchLabels?.[label] === 'true'))
        problems.push(`${subject}: no NetworkPolicy opens ${label}`);
    }
  }
}
