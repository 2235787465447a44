import { initialPushPlan, type PushPlan, type PushPlanHolder } from '../../core/pushPlan';

/** A Graph change-notification subscription the sandbox holds (https://learn.microsoft.com/graph/api/resources/subscription). */
export interface GraphSubscription {
  id: string;
  accountId: string;
  /** As the client gave it, e.g. `/me/messages`. */
  resource: string;
  /** The sandbox dataset it watches: `messages`, `events` or `contacts`. */
  dataset: string;
  changeTypes: ReadonlySet<'created' | 'updated' | 'deleted'>;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expiresAt: number;
}

/** One change notification the sandbox sent, and what the receiver answered (tests read it). */
export interface GraphPushRecord {
  subscriptionId: string;
  accountId: string;
  changeType: string;
  status: number | null;
  /** From the change to the receiver's answer, push plan delay included; null when not sent. */
  tookMs: number | null;
}

/** The sandbox's subscriptions, push plan and delivery log, one per Microsoft module (one per sandbox). */
export class GraphSubscriptionStore implements PushPlanHolder {
  readonly byId = new Map<string, GraphSubscription>();
  plan: PushPlan = initialPushPlan();
  readonly sent: GraphPushRecord[] = [];

  /** Live subscriptions of an account on a dataset; expired ones are forgotten as Graph deletes them. */
  watching(accountId: string, dataset: string, now: number): GraphSubscription[] {
    const found: GraphSubscription[] = [];
    for (const subscription of this.byId.values()) {
      if (subscription.expiresAt <= now) this.byId.delete(subscription.id);
      else if (subscription.accountId === accountId && subscription.dataset === dataset)
        found.push(subscription);
    }
    return found;
  }
}
