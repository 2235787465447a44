import type { ConnectionsHarness } from '@crm-sync/connections/testing';

/** The live items of a sandbox account's resource, as the sandbox holds them (id and data). */
export function sandboxItems(
  h: ConnectionsHarness,
  provider: 'google' | 'microsoft' | 'hubspot',
  resource: string,
  accountId: string,
): Array<{ id: string; seq: number; data: Record<string, unknown> }> {
  const { accounts, datasets } = h.sandbox.context;
  const account = accounts.get(provider, accountId);
  const generator = datasets.generator(provider, resource);
  if (!account || !generator) throw new Error(`no sandbox ${provider} ${resource} for ${accountId}`);
  const dataset = datasets.open(account, generator);
  const out: Array<{ id: string; seq: number; data: Record<string, unknown> }> = [];
  let after: number | undefined;
  do {
    const page = dataset.page({ after, limit: 1000, order: 'asc' });
    for (const item of page.items)
      out.push({ id: item.id, seq: item.seq, data: item.data as Record<string, unknown> });
    after = page.nextOrdinal;
  } while (after !== undefined);
  return out;
}

/** Calls that reached a sandbox route, summed over statuses. */
export const callsTo = (h: ConnectionsHarness, route: string): number =>
  h.sandbox.control
    .counters()
    .filter((c) => c.route === route)
    .reduce((sum, c) => sum + c.count, 0);
