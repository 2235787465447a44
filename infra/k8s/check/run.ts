// Every check of infra/k8s over one set of manifests, in order; returns the problems found.
import { resolve } from 'node:path';
import { registeredMetrics } from '../../observability/promql';
import { checkAppConfig } from './appConfig';
import { checkKustomizations } from './kustomizations';
import type { ManifestSet } from './manifests';
import { checkScaling } from './scaling';
import { checkSchemas } from './schemas';
import { checkWorkloads, workloadsOf } from './workloads';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const K8S = resolve(__dirname, '..');
const METRICS = registeredMetrics(ROOT);

export async function runChecks(set: ManifestSet): Promise<string[]> {
  const problems: string[] = [];
  await checkSchemas(set.manifests, problems);
  checkKustomizations(K8S, set, problems);
  checkWorkloads(set.manifests, ROOT, problems);
  const configs = checkAppConfig(set.manifests, workloadsOf(set.manifests), problems);
  checkScaling(set.manifests, configs, METRICS, problems);
  return problems;
}
