import { initialPushPlan, type PushPlan, type PushPlanHolder } from '../../core/pushPlan';

/**
 * One app's webhook configuration, as an operator sets it in the developer account (the app's settings page, or the
 * Webhooks API with the developer API key): where HubSpot sends the events and which events it sends. Webhooks are
 * the app's, not an account's: every portal that installed the app gets them (docs/providers/hubspot.md#webhooks).
 */
export interface AppWebhooks {
  clientId: string;
  appId: number;
  targetUrl: string;
  /** Active subscriptions, by event type (`contact.creation`, `deal.propertyChange`, …). */
  subscriptions: Array<{ id: number; eventType: string; propertyName: string | null }>;
  /** The first wait before a failed request is sent again; doubles per attempt (HubSpot's own are minutes). */
  retryBaseMs: number;
}

/** One event of a webhook request, as HubSpot's payload names its fields. */
export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  propertyName?: string;
  propertyValue?: string;
}

/** One request the sandbox sent (or dropped), and the receiver's answer: tests and the bench read it. */
export interface WebhookRecord {
  portalId: number;
  events: number;
  attemptNumber: number;
  /** null: dropped by the plan, or the receiver was unreachable. */
  status: number | null;
  tookMs: number | null;
}

/** The HubSpot module's app webhook settings, push plan, open batches and delivery log (one per sandbox). */
export class HubSpotWebhookStore implements PushPlanHolder {
  readonly apps = new Map<string, AppWebhooks>();
  plan: PushPlan = initialPushPlan();
  /** Events waiting for their request, by app and portal (`clientId portalId`). */
  readonly pending = new Map<string, { events: WebhookEvent[]; changedAt: number }>();
  readonly sent: WebhookRecord[] = [];
  private nextEventId = 1;

  eventId(): number {
    return this.nextEventId++;
  }
}
