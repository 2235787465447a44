// The kustomizations (base, migrate, apps): every resource they list exists, every manifest is applied by one of
// them (the Secret template excepted: it is filled and applied by hand), and their image is the one containers use.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { ManifestSet } from './manifests';

/** Filled in by the operator, never applied from the repository (docs/operations.md, "Kubernetes"). */
const APPLIED_BY_HAND = new Set([join('secret', 'secret.yaml')]);

export function checkKustomizations(dir: string, set: ManifestSet, problems: string[]): void {
  const listed = new Set<string>();
  for (const k of set.kustomizations) {
    const resources = (k.doc.resources ?? []) as string[];
    for (const resource of resources) {
      const path = normalize(join(dirname(k.file), resource));
      const full = join(dir, path);
      if (!existsSync(full)) problems.push(`${k.file}: resource ${resource} does not exist`);
      else if (statSync(full).isDirectory() && !existsSync(join(full, 'kustomization.yaml')))
        problems.push(`${k.file}: ${resource} has no kustomization.yaml`);
      else listed.add(path);
    }
    for (const image of (k.doc.images ?? []) as Array<{ name?: string }>) {
      const used = set.manifests.some((m) => JSON.stringify(m.doc).includes(`"image":"${image.name}"`));
      if (!used) problems.push(`${k.file}: image ${image.name} is used by no container`);
    }
  }
  for (const file of set.files) {
    const kustomization = set.kustomizations.some((k) => k.file === file);
    if (!kustomization && !listed.has(file) && !APPLIED_BY_HAND.has(file))
      problems.push(`${file}: no kustomization applies it`);
  }
}
