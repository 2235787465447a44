import {
  type AuthorizeBehaviour,
  type Dataset,
  type ProviderControlOp,
  type ProviderId,
  type SandboxContext,
  type SandboxControl,
  SandboxNotFoundError,
} from './types';

/** The in-process control surface; the HTTP control routes are a thin layer over it. */
export function createControl(
  ctx: SandboxContext,
  behaviours: Map<ProviderId, AuthorizeBehaviour>,
  providerOps: ReadonlyMap<ProviderId, Readonly<Record<string, ProviderControlOp>>> = new Map(),
): SandboxControl {
  const account = (provider: ProviderId, accountId: string) => {
    const found = ctx.accounts.get(provider, accountId);
    if (!found) throw new SandboxNotFoundError(`no ${provider} account ${accountId}`);
    return found;
  };
  const dataset = (provider: ProviderId, accountId: string, resource: string): Dataset<unknown> => {
    const generator = ctx.datasets.generator(provider, resource);
    if (!generator) throw new SandboxNotFoundError(`no ${provider} resource ${resource}`);
    return ctx.datasets.open(account(provider, accountId), generator);
  };

  return {
    createAccount: (spec) => ctx.accounts.create(spec),
    registerClient: (client) => ctx.clients.register(client),
    addItem(provider, accountId, resource, fields) {
      const item = dataset(provider, accountId, resource).add(fields);
      return { id: item.id, seq: item.seq };
    },
    updateItem(provider, accountId, resource, id, fields) {
      const item = dataset(provider, accountId, resource).update(id, fields);
      if (!item) throw new SandboxNotFoundError(`no ${resource} item ${id}`);
      return { id: item.id, seq: item.seq };
    },
    deleteItem(provider, accountId, resource, id) {
      if (!dataset(provider, accountId, resource).delete(id))
        throw new SandboxNotFoundError(`no ${resource} item ${id}`);
    },
    expireCursors(provider, accountId, resource) {
      if (resource === undefined) ctx.datasets.expireAll(account(provider, accountId));
      else dataset(provider, accountId, resource).expireCursors();
    },
    expireTokens: (provider, accountId) =>
      ctx.tokens.expireAccessTokens(provider, account(provider, accountId).id),
    revokeTokens: (provider, accountId) =>
      ctx.tokens.revokeAccount(provider, account(provider, accountId).id),
    addFault: (plan) => ctx.faults.add(plan),
    clearFaults: () => ctx.faults.clear(),
    setQuota: (plan) => ctx.faults.setQuota(plan),
    clearQuota: (provider, accountId) => ctx.faults.clearQuota(provider, accountId),
    setAuthorize(provider, behaviour) {
      const current = behaviours.get(provider) ?? { denyNext: 0 };
      behaviours.set(provider, { ...current, ...behaviour });
    },
    counters: () => ctx.counters.entries(),
    resetCounters: () => ctx.counters.reset(),
    providerOp(provider, accountId, op, body) {
      const ops = providerOps.get(provider);
      const run = ops && Object.hasOwn(ops, op) ? ops[op] : undefined;
      if (!run) throw new SandboxNotFoundError(`no ${provider} control operation ${op}`);
      return run(ctx, account(provider, accountId), body);
    },
  };
}
