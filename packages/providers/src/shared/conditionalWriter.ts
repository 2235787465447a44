import type { ResourceWriter, WriteAttempt, WriteOutcome, WriteRequest, WrittenRecord } from '@crm-sync/core';

type Op<W extends WriteRequest, O extends WriteRequest['op']> = Extract<W, { op: O }>;

/**
 * One provider's calls for one resource, bound to an access token, in the provider's own item type. Updates and
 * deletes send the write's `baseVersion` as the provider's precondition (`If-Match`), so the provider itself refuses
 * a change against a newer version; creates carry the write's client key where the provider keeps it.
 */
export interface ConditionalCalls<W extends WriteRequest, Item> {
  create(write: Op<W, 'create'>, clientKey: string): Promise<Item>;
  /** The item an earlier attempt created under the client key, if any. */
  findTagged(clientKey: string): Promise<Item | undefined>;
  update(write: Op<W, 'update'>): Promise<Item>;
  remove(write: Op<W, 'delete'>): Promise<void>;
  /** The item as the provider holds it now; undefined once it is deleted. */
  current(externalId: string): Promise<Item | undefined>;
  describe(item: Item): { externalId: string; version: string | null; record: WrittenRecord };
}

/** How the provider answers a stale precondition (412) and an item that is gone (404, 410). */
export interface ConditionalAnswers {
  isStale(error: unknown): boolean;
  isGone(error: unknown): boolean;
}

/**
 * A writer for providers that honour `If-Match` on update and delete and can find a created item by a tag
 * (docs/write-back.md, "Exactly once" and "No lost update"): Google Calendar and Microsoft Graph. A stale or gone
 * item ends an update as a conflict carrying the provider's current item; a delete of an item already gone holds.
 */
export function conditionalWriter<W extends WriteRequest, Item>(
  scopes: readonly string[],
  answers: ConditionalAnswers,
  open: (accessToken: string) => ConditionalCalls<W, Item>,
): ResourceWriter<W> {
  const applied = (calls: ConditionalCalls<W, Item>, item: Item): WriteOutcome => ({
    kind: 'applied',
    ...calls.describe(item),
  });
  const conflict = async (calls: ConditionalCalls<W, Item>, externalId: string): Promise<WriteOutcome> => {
    const now = await calls.current(externalId);
    const seen = now === undefined ? undefined : calls.describe(now);
    return { kind: 'conflict', externalId, version: seen?.version ?? null, current: seen?.record ?? null };
  };
  return {
    scopesFor: () => scopes,
    async apply(write: W, attempt: WriteAttempt): Promise<WriteOutcome> {
      const calls = open(attempt.accessToken);
      if (write.op === 'create') {
        const earlier = attempt.retried ? await calls.findTagged(attempt.clientKey) : undefined;
        return applied(calls, earlier ?? (await calls.create(write as Op<W, 'create'>, attempt.clientKey)));
      }
      const { externalId } = write;
      try {
        if (write.op === 'update') return applied(calls, await calls.update(write as Op<W, 'update'>));
        await calls.remove(write as Op<W, 'delete'>);
      } catch (error) {
        // Gone already (another delete, or this one before a crash): the outcome a delete asked for holds.
        if (write.op === 'delete' && answers.isGone(error)) return deletedOutcome(externalId);
        // Changed or deleted since the CRM read it: the write is not applied blindly.
        if (answers.isStale(error) || answers.isGone(error)) return conflict(calls, externalId);
        throw error;
      }
      return deletedOutcome(externalId);
    },
  };
}

const deletedOutcome = (externalId: string): WriteOutcome => ({
  kind: 'applied',
  externalId,
  version: null,
  record: null,
});
