// Reads every YAML file under infra/k8s: Kubernetes objects on one side, kustomizations on the other.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { parseAllDocuments } from 'yaml';

/** One object of a manifest file, as plain data (the checks may change a copy: see breakages.ts). */
export interface Manifest {
  file: string;
  kind: string;
  name: string;
  doc: Record<string, unknown>;
}

export interface Kustomization {
  file: string;
  doc: Record<string, unknown>;
}

export interface ManifestSet {
  manifests: Manifest[];
  kustomizations: Kustomization[];
  /** Every YAML file, relative to infra/k8s. */
  files: string[];
}

export function loadManifests(dir: string, problems: string[]): ManifestSet {
  const set: ManifestSet = { manifests: [], kustomizations: [], files: [] };
  const walk = (path: string): void => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry)) read(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  const read = (file: string, text: string): void => {
    set.files.push(file);
    for (const [index, document] of parseAllDocuments(text).entries()) {
      const error = document.errors[0];
      if (error) {
        problems.push(`${file}: YAML does not parse: ${error.message}`);
        continue;
      }
      const doc: unknown = document.toJS();
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
        problems.push(`${file}: document ${index + 1} is not an object`);
        continue;
      }
      const object = doc as Record<string, unknown>;
      if (object.kind === 'Kustomization') {
        set.kustomizations.push({ file, doc: object });
        continue;
      }
      const metadata = object.metadata as { name?: unknown } | undefined;
      set.manifests.push({
        file,
        kind: String(object.kind),
        name: typeof metadata?.name === 'string' ? metadata.name : '',
        doc: object,
      });
    }
  };
  walk(dir);
  return set;
}

/** A ScaledObject's spec; its shape is the KEDA schema's once checkSchemas passed (schemas.ts). */
export const scaledSpec = (m: Manifest): IScaledObject['spec'] => (m.doc as unknown as IScaledObject).spec;

/** `Kind/name in file`, how every problem names the object it is about. */
export const where = (m: Manifest): string => `${m.kind}/${m.name} (${m.file})`;
