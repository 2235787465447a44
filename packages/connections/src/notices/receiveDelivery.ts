import type { NoticeTarget, Provider, VerifiedDelivery, VerifiedNotice } from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { CredentialStore } from '@crm-sync/vault';
import type { DataSource, EntityManager } from 'typeorm';
import type { ConnectionGenerations } from '../generations';
import { endConnectionIn, revocation } from '../lifecycle/endConnection';
import { claimReplay } from './replays';

export interface NoticeDeps {
  db: DataSource;
  credentials: CredentialStore;
  generations: ConnectionGenerations;
  now?: () => Date;
}

/** What one notice did: its action and the connections it was taken for. */
export interface HandledNotice {
  kind: string;
  action: VerifiedNotice['action'];
  connectionIds: string[];
}

export type DeliveryOutcome = { kind: 'accepted'; notices: HandledNotice[] } | { kind: 'replayed' };

/**
 * Takes a verified delivery once, in one transaction: its replay key is claimed (a replay is refused and changes
 * nothing), a revocation ends each connection it names right here (status `revoked`, credentials deleted, syncs
 * stopped, audit, the CRM's `connection.status_changed` in the outbox: what the worker's `token.revoked` does), and
 * a sync notice becomes `sync.requested` in the outbox for the worker. A revocation thus takes effect when the
 * provider's POST is answered, whatever the workers are busy with, and no event waits for Redis (the relay hands
 * them over later); the ended connection's new generation goes to Redis when it can (generations.ts says why the
 * proxy is safe when it cannot). If anything fails, nothing is kept, so the provider's retry goes through.
 */
export async function receiveDelivery(
  deps: NoticeDeps,
  delivery: VerifiedDelivery,
): Promise<DeliveryOutcome> {
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction(async (manager) => {
    if (!(await claimReplay(manager, delivery.provider, delivery.replayKey, delivery.replayTtlMs, now))) {
      return { kind: 'replayed' };
    }
    const notices: HandledNotice[] = [];
    for (const notice of delivery.notices) {
      notices.push(await take(manager, deps, delivery.provider, notice, now));
    }
    return { kind: 'accepted', notices };
  });
}

async function take(
  manager: EntityManager,
  deps: Pick<NoticeDeps, 'credentials' | 'generations'>,
  provider: Provider,
  notice: VerifiedNotice,
  now: Date,
): Promise<HandledNotice> {
  const connections = await liveConnections(manager, provider, notice.target);
  for (const { id, tenant_id: tenantId } of connections) {
    if (notice.action === 'revoke') {
      await endConnectionIn(manager, deps, { ...revocation(id, 'provider_webhook'), now });
    } else if (notice.action === 'sync' || notice.action === 'resync') {
      await publishInTransaction(
        manager,
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
  manager: EntityManager,
  provider: Provider,
  target: NoticeTarget,
): Promise<Array<{ id: string; tenant_id: string }>> {
  if (target.kind === 'none') return [];
  const [column, value] =
    target.kind === 'account'
      ? ['provider_account_id', target.providerAccountId]
      : ['id::text', target.connectionId];
  return manager.query(
    `SELECT id, tenant_id FROM connections
      WHERE provider = $1 AND ${column} = $2 AND status <> 'disconnected' ORDER BY id`,
    [provider, value],
  );
}
