import {
  NoticeRefusedError,
  type NoticeTarget,
  type Provider,
  type VerifiedDelivery,
  type VerifiedNotice,
} from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { CredentialStore } from '@crm-sync/vault';
import { syncStates } from '@crm-sync/sync-states';
import type { DataSource, EntityManager } from 'typeorm';
import type { ConnectionGenerations } from '../generations';
import { endConnectionIn, revocation } from '../lifecycle/endConnection';
import {
  channelFor,
  forgetChannel,
  recordNotice,
  sameDigest,
  wantRenewal,
  type PushChannelRow,
} from '../push/channels';
import { claimReplay } from './replays';

export interface NoticeDeps {
  db: DataSource;
  credentials: CredentialStore;
  generations: ConnectionGenerations;
  now?: () => Date;
}

/**
 * What one notice did: its action, the kind of subject it named (never the subject itself: a token prefix is a
 * secret's part) and the connections it was taken for; none when the subject is not, or no longer, ours.
 */
export interface HandledNotice {
  kind: string;
  action: VerifiedNotice['action'];
  target: NoticeTarget['kind'];
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
  const connections = await liveConnections(manager, deps.credentials, provider, notice.target);
  const channel = await noticeChannel(manager, provider, notice);
  for (const { id, tenant_id: tenantId } of connections) {
    if (notice.action === 'revoke') {
      await endConnectionIn(manager, deps, { ...revocation(id, 'provider_webhook'), now });
    } else if (notice.action === 'sync' || notice.action === 'resync') {
      // A channel's notice asks for a round of its resource only (issue 25, docs/push.md).
      const resource = channel?.connectionId === id ? channel.resource : notice.resource;
      const resources = resource ? { resources: [resource] } : {};
      await publishInTransaction(
        manager,
        QUEUE_NAMES.connectionEvents,
        {
          type: 'sync.requested',
          tenantId,
          connectionId: id,
          full: notice.action === 'resync',
          ...resources,
        },
        now,
      );
    }
  }
  return {
    kind: notice.kind,
    action: notice.action,
    target: notice.target.kind,
    connectionIds: connections.map((c) => c.id),
  };
}

/**
 * The push channel a notice names, checked and acted on (issue 25): a change notice's echoed secret must match the
 * channel's stored digest (else the whole delivery is refused and nothing is kept); a lifecycle notice marks its
 * channel for reauthorization or forgets it so the keeper opens a new one. Unknown channels act on nothing.
 */
async function noticeChannel(
  manager: EntityManager,
  provider: Provider,
  notice: VerifiedNotice,
): Promise<PushChannelRow | null> {
  const channelId = notice.target.kind === 'channel' ? notice.target.channelId : notice.channel?.channelId;
  if (channelId === undefined) return null;
  const channel = await channelFor(manager, provider, channelId);
  if (!channel) {
    if (notice.target.kind === 'channel' && notice.target.unknownRefused)
      throw new NoticeRefusedError('bad_signature', 'the notice names no channel of ours');
    return null;
  }
  if (notice.target.kind === 'channel') {
    if (!sameDigest(channel.secretDigest, notice.target.secretDigest))
      throw new NoticeRefusedError('bad_signature', 'the notice does not carry its channel’s secret');
    await recordNotice(manager, channel.id);
  } else if (notice.target.kind === 'connection' && notice.target.connectionId !== channel.connectionId) {
    return null; // another connection's subscription id: it names no channel of this one
  } else if (notice.channel?.effect === 'renew') {
    await wantRenewal(manager, channel.id);
  } else if (notice.channel?.effect === 'reopen') {
    await forgetChannel(manager, channel.id);
    await syncStates.setPushUntil(manager, channel.connectionId, channel.resource, null);
  }
  return channel;
}

/** The connections a notice is about that can still act on it (a disconnected one has nothing left to do). */
async function liveConnections(
  manager: EntityManager,
  credentials: CredentialStore,
  provider: Provider,
  target: NoticeTarget,
): Promise<Array<{ id: string; tenant_id: string }>> {
  if (target.kind === 'none') return [];
  if (target.kind === 'refreshToken') {
    // The vault finds the token by its lookup values (credentials is its table); a token of another provider's
    // connection, however unlikely the match, is not this notice's.
    const holders = await credentials.withManager(manager).connectionsHolding(target.identifier);
    if (holders.length === 0) return [];
    return manager.query(
      `SELECT id, tenant_id FROM connections
        WHERE provider = $1 AND id = ANY($2::uuid[]) AND status <> 'disconnected' ORDER BY id`,
      [provider, holders],
    );
  }
  if (target.kind === 'channel') {
    return manager.query(
      `SELECT c.id, c.tenant_id FROM push_channels p JOIN connections c ON c.id = p.connection_id
        WHERE p.provider = $1 AND p.channel_id = $2 AND c.status <> 'disconnected'`,
      [provider, target.channelId],
    );
  }
  const [column, value] =
    target.kind === 'account'
      ? ['provider_account_id', target.providerAccountId]
      : target.kind === 'accountEmail'
        ? ['lower(email)', target.email.toLowerCase()]
        : ['id::text', target.connectionId];
  return manager.query(
    `SELECT id, tenant_id FROM connections
      WHERE provider = $1 AND ${column} = $2 AND status <> 'disconnected' ORDER BY id`,
    [provider, value],
  );
}
