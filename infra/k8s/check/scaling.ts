// Worker autoscaling (KEDA ScaledObjects on the scheduler's queue metrics through Prometheus): every worker queue
// has a fleet, every fleet a ScaledObject, each query names metrics the code exports and queues its fleet consumes,
// and only a fleet that runs nothing but sync-queue consumers may scale to zero, woken by a trigger that counts
// delayed jobs too (BullMQ promotes due delayed jobs only in a running worker).
import { SYNC_QUEUE_NAMES, WORKER_QUEUE_NAMES } from '@crm-sync/core';
import { selected } from '../../observability/promql';
import type { LoadedConfigs } from './appConfig';
import { scaledSpec, where, type Manifest } from './manifests';

export function checkScaling(
  manifests: Manifest[],
  configs: LoadedConfigs,
  metrics: Set<string>,
  problems: string[],
): void {
  const workers = [...configs].filter(([w]) => w.app === 'worker' && w.manifest.kind === 'Deployment');
  const consumed = new Set(workers.flatMap(([, c]) => c.worker.queues));
  for (const queue of WORKER_QUEUE_NAMES)
    if (!consumed.has(queue))
      problems.push(`no worker Deployment consumes the ${queue} queue (WORKER_QUEUES)`);
  const scaled = manifests.filter((m) => m.kind === 'ScaledObject');
  for (const [w] of workers) {
    const targeted = scaled.some((s) => scaledSpec(s).scaleTargetRef.name === w.manifest.name);
    if (!targeted) problems.push(`${where(w.manifest)}: no ScaledObject scales it`);
  }
  for (const m of manifests.filter((d) => d.kind === 'Deployment')) {
    const targeted = scaled.some((s) => scaledSpec(s).scaleTargetRef.name === m.name);
    const replicas = (m.doc.spec as { replicas?: number }).replicas;
    if (targeted && replicas !== undefined)
      problems.push(`${where(m)}: set no replicas: its ScaledObject owns them`);
    if (!targeted && replicas === undefined) problems.push(`${where(m)}: replicas is missing`);
  }
  for (const s of scaled) {
    const spec = scaledSpec(s);
    const target = workers.find(([w]) => w.manifest.name === spec.scaleTargetRef.name);
    if (!target || (spec.scaleTargetRef.kind ?? 'Deployment') !== 'Deployment') {
      problems.push(`${where(s)}: its target is not a worker Deployment of infra/k8s`);
      continue;
    }
    const queues: string[] = target[1].worker.queues;
    let countsDelayed = false;
    for (const trigger of spec.triggers) {
      const subject = `${where(s)} trigger ${trigger.name ?? trigger.type}`;
      const meta = trigger.metadata as Record<string, string>;
      if (trigger.type !== 'prometheus') {
        problems.push(`${subject}: only the prometheus scaler is used (docs/operations.md, "Kubernetes")`);
        continue;
      }
      if (!(Number(meta.threshold) > 0)) problems.push(`${subject}: threshold must be a positive number`);
      if (meta.ignoreNullValues !== 'false')
        problems.push(
          `${subject}: ignoreNullValues must be 'false' (missing metrics must not read as an empty queue)`,
        );
      const query = selected(meta.query ?? '');
      if ('error' in query) {
        problems.push(`${subject}: ${query.error}`);
        continue;
      }
      for (const name of query.names)
        if (!metrics.has(name)) problems.push(`${subject}: no app exports ${name}`);
      for (const matcher of query.matchers) {
        const values = matcher.op === '=~' ? matcher.value.split('|') : [matcher.value];
        if (matcher.label === 'queue' && matcher.op.startsWith('!'))
          problems.push(`${subject}: name the queues it counts (= or =~), not the ones it leaves out`);
        if (matcher.label === 'queue')
          for (const q of values)
            if (!queues.includes(q))
              problems.push(
                `${subject}: counts queue ${q}, which ${spec.scaleTargetRef.name} does not consume`,
              );
        if (matcher.label === 'state' && values.includes('delayed')) countsDelayed = true;
      }
    }
    if (spec.minReplicaCount !== 0) continue;
    const reason = queues.some((q) => !(SYNC_QUEUE_NAMES as readonly string[]).includes(q))
      ? 'it consumes more than sync queues'
      : target[1].worker.push.intervalMs > 0
        ? 'it runs the push keeper (PUSH_KEEPER_INTERVAL_MS)'
        : !countsDelayed
          ? 'no trigger counts delayed jobs, which only a running worker promotes'
          : undefined;
    if (reason) problems.push(`${where(s)}: must not scale to zero: ${reason}`);
  }
}
