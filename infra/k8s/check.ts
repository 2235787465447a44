// `tsx infra/k8s/check.ts` (in `npm run check:root`): the Kubernetes manifests under infra/k8s against the
// Kubernetes and KEDA schemas and against the code they deploy (docs/operations.md, "Kubernetes"): variables the
// apps read, values they accept, commands that exist, metrics they export, queues they consume. Then it breaks
// copies of the manifests on purpose (check/breakages.ts) and fails unless each fault is reported.
import { BREAKAGES } from './check/breakages';
import { loadManifests, type ManifestSet } from './check/manifests';
import { K8S, runChecks } from './check/run';

async function main(): Promise<number> {
  const loadProblems: string[] = [];
  const set = loadManifests(K8S, loadProblems);
  const problems = [...loadProblems, ...(await runChecks(set))];
  if (problems.length > 0) {
    process.stderr.write(`infra/k8s:\n${problems.join('\n')}\n`);
    return 1;
  }
  const missed: string[] = [];
  for (const breakage of BREAKAGES) {
    const broken: ManifestSet = { ...set, manifests: structuredClone(set.manifests) };
    breakage.apply(broken.manifests);
    const found = await runChecks(broken);
    if (!found.some((p) => breakage.expect.test(p)))
      missed.push(
        `not caught: ${breakage.what} (expected ${breakage.expect}; got ${found.join(' | ') || 'nothing'})`,
      );
  }
  if (missed.length > 0) {
    process.stderr.write(`infra/k8s check:\n${missed.join('\n')}\n`);
    return 1;
  }
  process.stdout.write(
    `infra/k8s: ${set.manifests.length} objects valid against the Kubernetes and KEDA schemas and the code; ` +
      `${BREAKAGES.length} broken copies each caught\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
