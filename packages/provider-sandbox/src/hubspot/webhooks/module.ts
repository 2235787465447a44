import { type Account, type ProviderControlOp, type SandboxContext } from '../../core/types';
import { type Endpoint } from '../associations/model';
import { emitChange } from './events';
import { hubspotWebhookOps } from './ops';
import { HubSpotWebhookStore } from './store';

/**
 * The HubSpot module's webhooks (docs/providers/hubspot.md#webhooks): its control operations, and the events it sends
 * after each change of a portal's contact, company or deal (`register`) and after each association change.
 */
export function hubspotWebhooks(): {
  ops: Record<string, ProviderControlOp>;
  associationChanged: (account: Account, a: Endpoint, b: Endpoint) => void;
  register: (ctx: SandboxContext) => void;
} {
  const store = new HubSpotWebhookStore();
  let context: SandboxContext | undefined;
  return {
    ops: hubspotWebhookOps(store),
    associationChanged(account, a, b) {
      if (!context) return;
      emitChange(context, store, account, a.type, 'associationChange', a.id);
      emitChange(context, store, account, b.type, 'associationChange', b.id);
    },
    register(ctx) {
      context = ctx;
      ctx.datasets.onChange((change) => {
        if (change.account.provider === 'hubspot')
          emitChange(ctx, store, change.account, change.resource, change.kind, change.id);
      });
    },
  };
}
