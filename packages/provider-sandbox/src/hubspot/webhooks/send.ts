import { deliver } from '../../core/deliver';
import { sendPerPlan } from '../../core/pushPlan';
import { type Clock, type OAuthClient } from '../../core/types';
import { signedWebhookRequest } from './signing';
import { type AppWebhooks, type HubSpotWebhookStore, type WebhookEvent } from './store';

/** HubSpot sends at most 100 events in one request (https://developers.hubspot.com/docs/api/webhooks). */
export const MAX_EVENTS_PER_REQUEST = 100;
/** HubSpot retries a failed request up to 10 times (docs/providers/hubspot.md#webhooks). */
export const MAX_RETRIES = 10;
/** Answers HubSpot does not retry; any other non-2xx answer, or no answer, is retried. */
const FINAL_REFUSALS = new Set([400, 401, 403, 404, 405]);

export interface WebhookSendContext {
  clock: Clock;
  store: HubSpotWebhookStore;
  client: OAuthClient;
}

/**
 * Adds an event to its app and portal's open batch, or opens one: a batch goes out per the push plan (after its
 * delay; dropped or sent twice as the plan says) holding every event of that portal that came meanwhile, up to 100.
 */
export function enqueueEvent(ctx: WebhookSendContext, app: AppWebhooks, event: WebhookEvent): void {
  const key = `${app.clientId} ${event.portalId}`;
  const open = ctx.store.pending.get(key);
  if (open && open.events.length < MAX_EVENTS_PER_REQUEST) {
    open.events.push(event);
    return;
  }
  const batch = { events: [event], changedAt: performance.now() };
  ctx.store.pending.set(key, batch);
  const sent = sendPerPlan(ctx.store, () => {
    if (ctx.store.pending.get(key) === batch) ctx.store.pending.delete(key);
    void attempt(ctx, app, batch, 0);
  });
  if (!sent) {
    ctx.store.pending.delete(key);
    ctx.store.sent.push({
      portalId: event.portalId,
      events: 1,
      attemptNumber: 0,
      status: null,
      tookMs: null,
    });
  }
}

/** One attempt of a batch, signed afresh (a retry's stamp must be inside the receiver's 5-minute window). */
async function attempt(
  ctx: WebhookSendContext,
  app: AppWebhooks,
  batch: { events: WebhookEvent[]; changedAt: number },
  attemptNumber: number,
): Promise<void> {
  const body = JSON.stringify(batch.events.map((event) => ({ ...event, attemptNumber })));
  const request = signedWebhookRequest(app.targetUrl, body, ctx.client.clientSecret, ctx.clock.now());
  let status: number | null = null;
  try {
    status = (await deliver(app.targetUrl, request)).status;
  } catch {
    status = null; // unreachable: retried as a failed connection
  }
  const portalId = batch.events[0]!.portalId;
  ctx.store.sent.push({
    portalId,
    events: batch.events.length,
    attemptNumber,
    status,
    tookMs: performance.now() - batch.changedAt,
  });
  const done = status !== null && ((status >= 200 && status < 300) || FINAL_REFUSALS.has(status));
  if (done || attemptNumber >= MAX_RETRIES) return;
  setTimeout(() => void attempt(ctx, app, batch, attemptNumber + 1), app.retryBaseMs * 2 ** attemptNumber);
}
