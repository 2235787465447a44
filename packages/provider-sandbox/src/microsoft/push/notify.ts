import { z } from 'zod';
import { deliver } from '../../core/deliver';
import { pushPlanOp, sendPerPlan } from '../../core/pushPlan';
import { type DatasetChange, type ProviderControlOp, type SandboxContext } from '../../core/types';
import { lifecycleEmitOp } from '../lifecycle/emit';
import { type GraphSubscription, type GraphSubscriptionStore } from './store';

// Change notifications (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks, and the
// changeNotification resource): a POST of `{ value: [ { subscriptionId, subscriptionExpirationDateTime,
// changeType, resource, resourceData: { @odata.type, @odata.id, id }, clientState, tenantId } ] }`, without the
// item's data (no resource data requested). The receiver answers 2xx within 3 seconds.

const CHANGE_TYPE = { add: 'created', update: 'updated', delete: 'deleted' } as const;
const ENTITY: Record<string, string> = { messages: 'Message', events: 'Event', contacts: 'Contact' };

function notification(subscription: GraphSubscription, change: DatasetChange) {
  const entity = ENTITY[subscription.dataset] ?? 'Entity';
  const resource = `Users/${subscription.accountId}/${entity}s/${change.id}`;
  return {
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: new Date(subscription.expiresAt).toISOString(),
    changeType: CHANGE_TYPE[change.kind],
    resource,
    resourceData: { '@odata.type': `#Microsoft.Graph.${entity}`, '@odata.id': resource, id: change.id },
    clientState: subscription.clientState,
    tenantId: `sandbox-tenant-${subscription.accountId}`,
  };
}

/** Sends a change notification for each live subscription that watches what changed, per the push plan. */
export function startChangeNotifications(ctx: SandboxContext, store: GraphSubscriptionStore): () => void {
  const send = async (
    subscription: GraphSubscription,
    body: string,
    changeType: string,
    changedAt: number,
  ) => {
    let status: number | null = null;
    try {
      status = (
        await deliver(subscription.notificationUrl, { headers: { 'content-type': 'application/json' }, body })
      ).status;
    } catch {
      status = null; // unreachable receiver: Graph would retry, then drop; the record says so
    }
    store.sent.push({
      subscriptionId: subscription.id,
      accountId: subscription.accountId,
      changeType,
      status,
      tookMs: performance.now() - changedAt,
    });
  };
  return ctx.datasets.onChange((change) => {
    if (change.account.provider !== 'microsoft') return;
    const changedAt = performance.now();
    for (const subscription of store.watching(change.account.id, change.resource, ctx.clock.now())) {
      const changeType = CHANGE_TYPE[change.kind];
      if (!subscription.changeTypes.has(changeType)) continue;
      const body = JSON.stringify({ value: [notification(subscription, change)] });
      const sent = sendPerPlan(store, () => void send(subscription, body, changeType, changedAt));
      if (!sent) {
        store.sent.push({
          subscriptionId: subscription.id,
          accountId: subscription.accountId,
          changeType,
          status: null,
          tookMs: null,
        });
      }
    }
  });
}

const lifecycleSpec = z.strictObject({
  subscriptionId: z.string().min(1),
  lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
});

/** Control operations: the push plan, the account's subscriptions, and a lifecycle event for one of them. */
export function graphPushOps(store: GraphSubscriptionStore): Record<string, ProviderControlOp> {
  return {
    pushPlan: pushPlanOp(store),
    /** `POST …/ops/subscriptions`: the account's live subscriptions and the notifications sent for it. */
    subscriptions: (ctx, account) => ({
      subscriptions: [...store.byId.values()]
        .filter((s) => s.accountId === account.id && s.expiresAt > ctx.clock.now())
        .map((s) => ({
          id: s.id,
          resource: s.resource,
          expirationDateTime: new Date(s.expiresAt).toISOString(),
        })),
      sent: store.sent.filter((s) => s.accountId === account.id),
    }),
    /**
     * `POST …/ops/subscriptionLifecycle` { subscriptionId, lifecycleEvent }: Graph's lifecycle notification to the
     * subscription's lifecycle URL with its clientState; `subscriptionRemoved` also deletes it, as Graph has.
     */
    subscriptionLifecycle: async (ctx, account, body) => {
      const spec = lifecycleSpec.parse(body);
      const subscription = store.byId.get(spec.subscriptionId);
      if (!subscription || subscription.accountId !== account.id || !subscription.lifecycleNotificationUrl)
        throw new Error('no such subscription with a lifecycle notification URL');
      if (spec.lifecycleEvent === 'subscriptionRemoved') store.byId.delete(subscription.id);
      return lifecycleEmitOp(ctx, account, {
        url: subscription.lifecycleNotificationUrl,
        lifecycleEvent: spec.lifecycleEvent,
        clientState: subscription.clientState ?? '',
        subscriptionId: subscription.id,
        validate: false,
      });
    },
  };
}
