import { seededRandom } from './random';
import {
  type Clock,
  type ErrorRenderer,
  type FaultAction,
  type FaultPlan,
  type FaultRegistry,
  type ProviderId,
  type QuotaPlan,
} from './types';

interface ActivePlan {
  plan: FaultPlan;
  remaining: number | undefined;
  random: () => number;
}

interface QuotaState {
  plan: QuotaPlan;
  windowStart: number;
  used: number;
}

const routeMatches = (pattern: string | undefined, route: string) =>
  pattern === undefined ||
  (pattern.endsWith('*') ? route.startsWith(pattern.slice(0, -1)) : pattern === route);

/** A Retry-After where the provider never sends one would teach clients a header they will not get. */
function refuseMisplacedRetryAfter(plan: FaultPlan, renderers: ReadonlyMap<ProviderId, ErrorRenderer>): void {
  const action = plan.action;
  if (action.kind !== 'status' || action.retryAfterSeconds === undefined) return;
  const providers = plan.provider === undefined ? [...renderers.keys()] : [plan.provider];
  for (const provider of providers) {
    if (renderers.get(provider)?.retryAfter[action.status] === 'never')
      throw new Error(
        `${provider} sends no Retry-After with ${action.status} (docs/providers/${provider}.md): drop retryAfterSeconds`,
      );
  }
}

export function createFaultRegistry(
  clock: Clock,
  renderers: ReadonlyMap<ProviderId, ErrorRenderer>,
): FaultRegistry {
  let plans: ActivePlan[] = [];
  const quotas = new Map<string, QuotaState>();
  const quotaKey = (provider: ProviderId, accountId: string) => `${provider}:${accountId}`;

  return {
    add(plan) {
      if (plan.next === undefined && plan.rate === undefined)
        throw new Error('fault plan needs `next` or `rate`');
      refuseMisplacedRetryAfter(plan, renderers);
      plans.push({ plan: { ...plan }, remaining: plan.next, random: seededRandom(plan.seed ?? 1) });
    },
    clear() {
      plans = [];
    },
    match(provider, route, accountId): FaultAction | undefined {
      for (const active of plans) {
        const { plan } = active;
        if (plan.provider !== undefined && plan.provider !== provider) continue;
        if (!routeMatches(plan.route, route)) continue;
        if (plan.accountId !== undefined && plan.accountId !== accountId) continue;
        if (active.remaining !== undefined) {
          if (active.remaining <= 0) continue;
          active.remaining -= 1;
          return plan.action;
        }
        if (active.random() < (plan.rate ?? 0)) return plan.action;
      }
      return undefined;
    },
    setQuota(plan) {
      quotas.set(quotaKey(plan.provider, plan.accountId), {
        plan: { ...plan },
        windowStart: clock.now(),
        used: 0,
      });
    },
    clearQuota(provider, accountId) {
      quotas.delete(quotaKey(provider, accountId));
    },
    // A fixed one-second window: simple and predictable for tests, close enough to Gmail's moving average.
    chargeQuota(provider, accountId, units) {
      const state = quotas.get(quotaKey(provider, accountId));
      if (!state) return undefined;
      const now = clock.now();
      if (now - state.windowStart >= 1000) {
        state.windowStart = now;
        state.used = 0;
      }
      if (state.used + units > state.plan.unitsPerSecond) return state.plan;
      state.used += units;
      return undefined;
    },
  };
}
