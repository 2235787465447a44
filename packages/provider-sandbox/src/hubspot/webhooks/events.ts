import { type Account, type ChangeKind, type SandboxContext } from '../../core/types';
import { enqueueEvent } from './send';
import { type HubSpotWebhookStore } from './store';

/** The legacy CRM object subscription prefix of each object type the sandbox serves (`contact.creation`, …). */
export const EVENT_OBJECT: Readonly<Record<string, string>> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
};

const EVENT_OF: Readonly<Record<ChangeKind, string>> = {
  add: 'creation',
  update: 'propertyChange',
  delete: 'deletion',
};

/**
 * Whether the portal has installed the app: it holds a live grant of the app's client (the sandbox looks at the
 * portal's newest one). An uninstall or a revocation ends the grants, and with them the portal's webhooks.
 */
function installed(ctx: SandboxContext, account: Account, clientId: string): boolean {
  const token = ctx.tokens.liveRefreshToken('hubspot', account.id);
  return token !== undefined && ctx.tokens.inspect('hubspot', token)?.clientId === clientId;
}

/**
 * A change to one object of a portal that installed the app, as HubSpot turns it into webhook events: one event per app subscription that
 * covers it (a `propertyChange` subscription names its property; the sandbox does not track which properties an
 * update touched, so each of the type's propertyChange subscriptions fires), each app's own batch.
 */
export function emitChange(
  ctx: SandboxContext,
  store: HubSpotWebhookStore,
  account: Account,
  resource: string,
  change: ChangeKind | 'associationChange',
  objectId: string,
): void {
  const object = EVENT_OBJECT[resource];
  if (!object || !/^\d+$/.test(account.id)) return;
  const eventType = `${object}.${change === 'associationChange' ? change : EVENT_OF[change]}`;
  for (const app of store.apps.values()) {
    const client = ctx.clients.get(app.clientId);
    if (!client || !installed(ctx, account, app.clientId)) continue;
    for (const subscription of app.subscriptions.filter((s) => s.eventType === eventType)) {
      enqueueEvent({ clock: ctx.clock, store, client }, app, {
        eventId: store.eventId(),
        subscriptionId: subscription.id,
        portalId: Number(account.id),
        appId: app.appId,
        occurredAt: ctx.clock.now(),
        subscriptionType: eventType,
        attemptNumber: 0,
        objectId: Number(objectId),
        changeSource: 'CRM',
        ...(subscription.propertyName && { propertyName: subscription.propertyName }),
      });
    }
  }
}
