// Validates each object against the Kubernetes and KEDA OpenAPI schemas, as compiled by kubernetes-models and
// @kubernetes-models/keda. They check types, required fields and enums; they do not refuse unknown fields (the API
// server does, with kubectl's default strict field validation), so the project rules (workloads.ts) name the
// fields they need.
import { where, type Manifest } from './manifests';

interface Model {
  apiVersion: string;
  kind: string;
  new (data: never): { validate(): void };
}

/** The kinds infra/k8s may hold; another kind is a problem (it would go unchecked). */
async function models(): Promise<Map<string, Model>> {
  // ESM-only packages: loaded with import(), which tsx keeps as a real import in this CommonJS module.
  const core = await import('kubernetes-models/v1');
  const apps = await import('kubernetes-models/apps/v1');
  const batch = await import('kubernetes-models/batch/v1');
  const policy = await import('kubernetes-models/policy/v1');
  const networking = await import('kubernetes-models/networking.k8s.io/v1');
  const keda = await import('@kubernetes-models/keda/keda.sh/v1alpha1');
  const list: Model[] = [
    core.Namespace,
    core.ConfigMap,
    core.Secret,
    core.Service,
    apps.Deployment,
    batch.Job,
    policy.PodDisruptionBudget,
    networking.NetworkPolicy,
    keda.ScaledObject,
  ];
  return new Map(list.map((model) => [`${model.apiVersion}/${model.kind}`, model]));
}

export async function checkSchemas(manifests: Manifest[], problems: string[]): Promise<void> {
  const known = await models();
  for (const m of manifests) {
    const model = known.get(`${String(m.doc.apiVersion)}/${m.kind}`);
    if (!model) {
      problems.push(`${where(m)}: ${String(m.doc.apiVersion)} ${m.kind} is not a kind this check knows`);
      continue;
    }
    try {
      new model(m.doc as never).validate();
    } catch (error) {
      problems.push(`${where(m)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
