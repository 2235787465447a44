import { z } from 'zod';
import { type ProviderControlOp } from './types';

/**
 * How a provider module of the sandbox delivers push notices (Graph change notifications, Calendar channel
 * notifications, Gmail's Pub/Sub pushes): `delayMs` after the change (the providers' own delays vary; 0 for the latency
 * bench); the next `drop` notices are not sent and the next `duplicate` ones are sent twice (each provider may deliver
 * a notice more than once, docs/push.md).
 */
export interface PushPlan {
  delayMs: number;
  drop: number;
  duplicate: number;
}

const planSpec = z.strictObject({
  delayMs: z.number().int().min(0).max(600_000).optional(),
  drop: z.number().int().min(0).optional(),
  duplicate: z.number().int().min(0).optional(),
});

/** A module's plan, changed by its `pushPlan` control operation. */
export interface PushPlanHolder {
  plan: PushPlan;
}

export const initialPushPlan = (): PushPlan => ({ delayMs: 0, drop: 0, duplicate: 0 });

/**
 * Sends one notice per the plan: dropped (`false` returned, nothing sent), or `send` called once or twice after the
 * plan's delay.
 */
export function sendPerPlan(holder: PushPlanHolder, send: () => void): boolean {
  const { plan } = holder;
  if (plan.drop > 0) {
    plan.drop -= 1;
    return false;
  }
  const copies = plan.duplicate > 0 ? 2 : 1;
  if (copies === 2) plan.duplicate -= 1;
  setTimeout(() => {
    for (let i = 0; i < copies; i += 1) send();
  }, plan.delayMs);
  return true;
}

/** `POST …/ops/pushPlan` { delayMs?, drop?, duplicate? }: the plan for every later notice of the module. */
export const pushPlanOp =
  (holder: PushPlanHolder): ProviderControlOp =>
  (_ctx, _account, body) => {
    holder.plan = { ...holder.plan, ...planSpec.parse(body) };
    return holder.plan;
  };
