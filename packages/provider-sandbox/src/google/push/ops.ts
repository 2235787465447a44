import { pushPlanOp } from '../../core/pushPlan';
import { type ProviderControlOp } from '../../core/types';
import { type GooglePushStore } from './store';

/** Control operations of Google push: the push plan, and an account's live channels and the notices sent for it. */
export function googlePushOps(store: GooglePushStore): Record<string, ProviderControlOp> {
  return {
    pushPlan: pushPlanOp(store),
    /** `POST …/ops/pushChannels`: the account's live Calendar channels and every push notice sent for it. */
    pushChannels: (ctx, account) => ({
      channels: store.liveChannels(account.id, ctx.clock.now()).map((c) => ({
        id: c.id,
        resourceId: c.resourceId,
        expiration: String(c.expiresAt),
      })),
      sent: store.sent.filter((s) => s.accountId === account.id),
    }),
  };
}
