import { type ListedWindow, type ResourceSyncer, type SyncRequest } from '@crm-sync/core';
import type { Message } from '@microsoft/microsoft-graph-types';
import { type GraphAccess } from '../client';
import { MESSAGE_FIELDS, mapMessage } from '../map';
import { type DeltaOptions, deltaSyncer, type FirstRequest } from './delta';
import { daysFrom } from './window';

/**
 * The inbox's messages (`mail` → `emails`). Message delta tracks one folder; the inbox is where a CRM's correspondence
 * arrives.
 *
 * No `$filter`: Graph documents that a message delta with `$filter` returns at most 5,000 messages
 * (https://learn.microsoft.com/graph/delta-query-messages, docs/providers/microsoft.md#delta-endpoints), so a
 * mailbox with more in the window would end its round at the cap and the rest would never land. The round lists
 * the whole folder (only the selected fields) and the window is applied here (`mailListed`); the delta link then
 * tracks every message of the folder.
 */
export function mailFirstRequest(): FirstRequest {
  return { path: '/me/mailFolders/inbox/messages/delta', select: MESSAGE_FIELDS };
}

/** A message sent inside the window was received inside it too (received follows sent), so it was listed. */
export function mailWindow({ now, initialWindowDays }: SyncRequest): ListedWindow {
  return { after: new Date(daysFrom(now, -initialWindowDays)), before: null };
}

/**
 * Whether a full round keeps a message: received inside the window. A message without a readable receivedDateTime
 * is kept (its row is dated by sentDateTime, or undated and never swept), rather than silently lost.
 */
export function mailListed(message: Message, window: ListedWindow): boolean {
  const received = Date.parse(message.receivedDateTime ?? '');
  if (Number.isNaN(received)) return true;
  return window.after === null || received >= window.after.getTime();
}

export function createMailSyncer(access: GraphAccess, options: DeltaOptions): ResourceSyncer<'emails'> {
  return deltaSyncer<'emails', Message>(
    {
      resource: 'mail',
      table: 'emails',
      firstRequest: mailFirstRequest,
      window: mailWindow,
      listed: mailListed,
      map: mapMessage,
    },
    access,
    options,
  );
}
