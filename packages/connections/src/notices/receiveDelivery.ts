import type { NoticeTarget, Provider, VerifiedDelivery, VerifiedNotice } from '@crm-sync/core';
import { QUEUE_NAMES, type JobProducer } from '@crm-sync/queue';
import type { DataSource } from 'typeorm';
import type { ReplayCache } from './replayCache';

export interface NoticeDeps {
  db: DataSource;
  producer: JobProducer;
  replays: ReplayCache;
  now?: () => Date;
}

/** What one notice did: its action and the connections it was enqueued for. */
export interface HandledNotice {
  kind: string;
  action: VerifiedNotice['action'];
  connectionIds: string[];
}

export type DeliveryOutcome = { kind: 'accepted'; notices: HandledNotice[] } | { kind: 'replayed' };

/**
 * Takes a verified delivery once: a replay is refused before anything happens; otherwise each notice becomes
 * `connection-events` for the connections it names, which the worker handles through the lifecycle pipeline
 * (`token.revoked` deletes the credentials; `sync.requested` runs a round). A failure to enqueue releases the
 * replay key so the provider's retry goes through.
 */
export async function receiveDelivery(
  deps: NoticeDeps,
  delivery: VerifiedDelivery,
): Promise<DeliveryOutcome> {
  if (!(await deps.replays.claim(delivery.provider, delivery.replayKey, delivery.replayTtlMs))) {
    return { kind: 'replayed' };
  }
  try {
    const notices: HandledNotice[] = [];
    for (const notice of delivery.notices) notices.push(await enqueue(deps, delivery.provider, notice));
    return { kind: 'accepted', notices };
  } catch (error) {
    await deps.replays.release(delivery.provider, delivery.replayKey);
    throw error;
  }
}

async function enqueue(deps: NoticeDeps, provider: Provider, notice: VerifiedNotice): Promise<HandledNotice> {
  const connections = await liveConnections(deps.db, provider, notice.target);
  const now = deps.now?.() ?? new Date();
  for (const { id, tenant_id: tenantId } of connections) {
    if (notice.action === 'revoke') {
      await deps.producer.publish(
        QUEUE_NAMES.connectionEvents,
        { type: 'token.revoked', tenantId, connectionId: id, source: 'provider_webhook' },
        now,
      );
    } else if (notice.action === 'sync' || notice.action === 'resync') {
      await deps.producer.publish(
        QUEUE_NAMES.connectionEvents,
        { type: 'sync.requested', tenantId, connectionId: id, full: notice.action === 'resync' },
        now,
      );
    }
  }
  return { kind: notice.kind, action: notice.action, connectionIds: connections.map((c) => c.id) };
}

/** The connections a notice is about that can still act on it (a disconnected one has nothing left to do). */
async function liveConnections(
  db: DataSource,
  provider: Provider,
  target: NoticeTarget,
): Promise<Array<{ id: string; tenant_id: string }>> {
  if (target.kind === 'none') return [];
  const [column, value] =
    target.kind === 'account'
      ? ['provider_account_id', target.providerAccountId]
      : ['id::text', target.connectionId];
  return db.query(
    `SELECT id, tenant_id FROM connections
      WHERE provider = $1 AND ${column} = $2 AND status <> 'disconnected' ORDER BY id`,
    [provider, value],
  );
}
