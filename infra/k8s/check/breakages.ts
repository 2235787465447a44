// Broken copies of the real manifests, one fault each: the check must name every one, or it is a check that
// cannot fail. Each case changes the parsed objects in memory, never the files.
import type { IContainer } from 'kubernetes-models/v1';
import { scaledSpec, type Manifest } from './manifests';

export interface Breakage {
  what: string;
  /** A problem the check must report for it. */
  expect: RegExp;
  apply(manifests: Manifest[]): void;
}

const find = (manifests: Manifest[], kind: string, name: string): Manifest => {
  const m = manifests.find((d) => d.kind === kind && d.name === name);
  if (!m) throw new Error(`breakage: no ${kind}/${name} in infra/k8s`);
  return m;
};
const container = (manifests: Manifest[], name: string): IContainer => {
  const spec = find(manifests, 'Deployment', name).doc.spec as {
    template: { spec: { containers: IContainer[] } };
  };
  return spec.template.spec.containers[0] as IContainer;
};
const trigger = (manifests: Manifest[], name: string) =>
  scaledSpec(find(manifests, 'ScaledObject', name)).triggers[0]?.metadata as Record<string, string>;

export const BREAKAGES: Breakage[] = [
  {
    what: 'a port that is not a number (schema)',
    expect: /containerPort must be integer/,
    apply: (m) => Object.assign(container(m, 'connect-api').ports?.[0] ?? {}, { containerPort: 'http' }),
  },
  {
    what: 'a KEDA field of the wrong type (schema)',
    expect: /minReplicaCount must be integer/,
    apply: (m) =>
      Object.assign(scaledSpec(find(m, 'ScaledObject', 'worker-google')), {
        minReplicaCount: 'none',
      }),
  },
  {
    what: 'a Deployment without a readiness probe',
    expect: /readinessProbe must be an httpGet/,
    apply: (m) => delete container(m, 'connect-api').readinessProbe,
  },
  {
    what: 'a variable the apps do not read',
    expect: /WORKER_QUEUE is not a variable the apps read/,
    apply: (m) => container(m, 'worker-google').env?.push({ name: 'WORKER_QUEUE', value: 'sync-google' }),
  },
  {
    what: 'a ConfigMap value the schema refuses',
    expect: /LOG_LEVEL=loud/,
    apply: (m) =>
      Object.assign(find(m, 'ConfigMap', 'crm-sync-config').doc.data as object, { LOG_LEVEL: 'loud' }),
  },
  {
    what: 'an app without a secret production requires',
    expect: /DASHBOARD_PASSWORD/,
    apply: (m) => {
      const c = container(m, 'dashboard');
      c.env = c.env?.filter((e) => e.name !== 'DASHBOARD_PASSWORD');
    },
  },
  {
    what: 'a real value in the Secret template',
    expect: /VAULT_KEYS must be a <placeholder>/,
    apply: (m) =>
      Object.assign(find(m, 'Secret', 'crm-sync-secrets').doc.stringData as object, { VAULT_KEYS: 'k1:abc' }),
  },
  {
    what: 'a command whose entry file does not exist',
    expect: /apps\/scheduler\/dist\/main.js does not exist/,
    apply: (m) => (container(m, 'scheduler').command = ['node', 'apps/scheduler/dist/main.js']),
  },
  {
    what: "a worker without its package's heap cap",
    expect: /misses --max-old-space-size=512/,
    apply: (m) =>
      (container(m, 'worker-google').command = ['node', '--import', 'tsx', 'apps/worker/src/main.ts']),
  },
  {
    what: 'a command through npm, which does not pass SIGTERM on',
    expect: /the command must be `node/,
    apply: (m) => (container(m, 'dashboard').command = ['npm', 'run', 'start', '-w', '@crm-sync/dashboard']),
  },
  {
    what: 'a Deployment without a PodDisruptionBudget',
    expect: /scheduler .* no PodDisruptionBudget/,
    apply: (m) => m.splice(m.indexOf(find(m, 'PodDisruptionBudget', 'scheduler')), 1),
  },
  {
    what: 'a ScaledObject on a metric no app exports',
    expect: /no app exports crm_sync_queue_depth/,
    apply: (m) => {
      const meta = trigger(m, 'worker-google');
      meta.query = (meta.query ?? '').replace('crm_sync_queue_jobs', 'crm_sync_queue_depth');
    },
  },
  {
    what: 'a ScaledObject counting a queue its fleet does not consume',
    expect: /counts queue sync-microsoft/,
    apply: (m) => {
      const meta = trigger(m, 'worker-google');
      meta.query = (meta.query ?? '').replace('sync-google', 'sync-microsoft');
    },
  },
  {
    what: 'the push keeper fleet scaled to zero',
    expect: /worker-core .*must not scale to zero/,
    apply: (m) => (scaledSpec(find(m, 'ScaledObject', 'worker-core')).minReplicaCount = 0),
  },
  {
    what: 'a pod that may reach providers without calling them',
    expect: /scheduler .*carries crm-sync\/egress-providers/,
    apply: (m) => {
      const spec = find(m, 'Deployment', 'scheduler').doc.spec as {
        template: { metadata: { labels: Record<string, string> } };
      };
      spec.template.metadata.labels['crm-sync/egress-providers'] = 'true';
    },
  },
];
