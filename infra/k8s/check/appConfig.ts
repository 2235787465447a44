// The manifests' environment against the apps' own configuration code (packages/config): every variable named is
// one the apps read, every ConfigMap value parses, the Secret template holds placeholders only, and each container's
// environment loads in production mode for its app with the ports its Deployment names.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError, envSchema, loadConfig, type AppName, type Config } from '@crm-sync/config';
import type { IContainer } from 'kubernetes-models/v1';
import { where, type Manifest } from './manifests';
import type { Workload } from './workloads';

const key32 = () => `k1:${randomBytes(32).toString('base64')}`;
const secret = () => randomBytes(24).toString('hex');
/**
 * A well-formed stand-in for each key of the Secret, made afresh on every run, so that the configuration can load
 * as it will in the cluster; a key without one here is a problem to fix in this table.
 */
const STAND_INS: Record<string, () => string> = {
  DATABASE_URL: () => 'postgres://crm_sync:pw@postgres.example.internal:5432/crm_sync?sslmode=verify-full',
  REDIS_URL: () => 'rediss://:pw@redis.example.internal:6379',
  VAULT_KEYS: key32,
  CONTENT_INDEX_KEY: key32,
  DELETION_RECEIPT_KEYS: () =>
    `k1:${generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
  SERVICE_TOKENS: () => `crm:${secret()}:*`,
  DASHBOARD_PASSWORD: secret,
  DASHBOARD_ADMIN_PASSWORD: secret,
  GOOGLE_CLIENT_SECRET: secret,
  MICROSOFT_CLIENT_SECRET: secret,
  HUBSPOT_CLIENT_SECRET: secret,
};

/** The ports each app listens on per its configuration, by the container port names the manifests use. */
const PORTS: Partial<Record<AppName, (c: Config) => Record<string, number>>> = {
  'connect-api': (c) => ({ http: c.connectApi.port, metrics: c.connectApi.ops.port }),
  worker: (c) => ({ metrics: c.worker.http.port }),
  scheduler: (c) => ({ metrics: c.scheduler.http.port }),
  dashboard: (c) => ({ http: c.dashboard.port }),
  migrate: () => ({}),
};

const VARIABLES = new Set(Object.keys(envSchema.shape));
const fieldOf = (name: string) => envSchema.shape[name as keyof typeof envSchema.shape];

/** Each worker container's loaded configuration, for the scaling rules (scaling.ts). */
export type LoadedConfigs = Map<Workload, Config>;

export function checkAppConfig(
  manifests: Manifest[],
  workloads: Workload[],
  problems: string[],
): LoadedConfigs {
  const configMaps = new Map(manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.name, m]));
  const secrets = new Map(manifests.filter((m) => m.kind === 'Secret').map((m) => [m.name, m]));
  for (const m of configMaps.values())
    for (const [name, value] of Object.entries((m.doc.data ?? {}) as Record<string, string>)) {
      if (!VARIABLES.has(name)) problems.push(`${where(m)}: ${name} is not a variable the apps read`);
      else if (value !== '') {
        const parsed = fieldOf(name).safeParse(value);
        if (!parsed.success)
          problems.push(`${where(m)}: ${name}=${value}: ${parsed.error.issues[0]?.message}`);
      }
    }
  for (const m of secrets.values())
    for (const [name, value] of Object.entries((m.doc.stringData ?? {}) as Record<string, string>)) {
      if (!VARIABLES.has(name)) problems.push(`${where(m)}: ${name} is not a variable the apps read`);
      if (!/^<[^<>]+>$/.test(value))
        problems.push(`${where(m)}: ${name} must be a <placeholder>, never a value`);
      if (!STAND_INS[name])
        problems.push(`${where(m)}: ${name} has no stand-in in infra/k8s/check/appConfig.ts`);
    }
  const loaded: LoadedConfigs = new Map();
  for (const w of workloads)
    for (const c of w.pod.containers) {
      const subject = `${where(w.manifest)} container ${c.name}`;
      const env = environment(c, subject, configMaps, secrets, problems);
      const ports = PORTS[w.app as AppName];
      if (!env || !ports) continue;
      try {
        const config = loadConfig(env, w.app as AppName);
        loaded.set(w, config);
        const declared = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
        if (JSON.stringify(declared) !== JSON.stringify(ports(config)))
          problems.push(
            `${subject}: ports ${JSON.stringify(declared)}, but the app listens on ${JSON.stringify(ports(config))}`,
          );
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(`${subject}: its configuration does not load in production: ${error.message}`);
      }
    }
  return loaded;
}

/** The container's environment as the kubelet will build it, with stand-ins for the Secret's values. */
function environment(
  c: IContainer,
  subject: string,
  configMaps: Map<string, Manifest>,
  secrets: Map<string, Manifest>,
  problems: string[],
): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const map = from.configMapRef && configMaps.get(from.configMapRef.name ?? '');
    if (!map) problems.push(`${subject}: envFrom names no ConfigMap of infra/k8s`);
    else Object.assign(env, map.doc.data);
    if (from.secretRef)
      problems.push(`${subject}: name each Secret key it needs (secretKeyRef), not the whole Secret`);
  }
  for (const e of c.env ?? []) {
    // The schemas allow unknown fields: `{ name: X, value: a,b }` in flow style makes `b` a key and cuts the value.
    for (const field of Object.keys(e))
      if (!['name', 'value', 'valueFrom'].includes(field))
        problems.push(`${subject}: ${e.name} has a field ${field}`);
    if (!VARIABLES.has(e.name)) problems.push(`${subject}: ${e.name} is not a variable the apps read`);
    const ref = e.valueFrom?.secretKeyRef;
    const keys = ref && (secrets.get(ref.name ?? '')?.doc.stringData as Record<string, string> | undefined);
    if (ref && !keys) problems.push(`${subject}: ${e.name} names no Secret of infra/k8s`);
    else if (ref && !(ref.key in (keys ?? {}))) problems.push(`${subject}: the Secret has no key ${ref.key}`);
    else if (ref) env[e.name] = STAND_INS[ref.key]?.() ?? '';
    else if (e.value !== undefined) env[e.name] = e.value;
    else problems.push(`${subject}: ${e.name} has neither a value nor a secretKeyRef`);
  }
  return env;
}
