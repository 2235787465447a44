import { type ListedWindow, type ResourceSyncer, type SyncRequest } from '@crm-sync/core';
import type { Message } from '@microsoft/microsoft-graph-types';
import { type GraphAccess } from '../client';
import { MESSAGE_FIELDS, mapMessage } from '../map';
import { type DeltaOptions, deltaSyncer, type FirstRequest } from './delta';
import { daysFrom } from './window';

/**
 * The inbox's messages (`mail` → `emails`). Message delta tracks one folder; the inbox is where a CRM's correspondence
 * arrives. The initial window is a `$filter` on receivedDateTime, the only filter message delta accepts; it rides
 * inside the next and delta links from then on.
 */
export function mailFirstRequest({ now, initialWindowDays }: SyncRequest): FirstRequest {
  return {
    path: '/me/mailFolders/inbox/messages/delta',
    select: MESSAGE_FIELDS,
    filter: `receivedDateTime ge ${daysFrom(now, -initialWindowDays)}`,
  };
}

/** A message sent inside the window was received inside it too (received follows sent), so it was listed. */
export function mailWindow({ now, initialWindowDays }: SyncRequest): ListedWindow {
  return { after: new Date(daysFrom(now, -initialWindowDays)), before: null };
}

export function createMailSyncer(access: GraphAccess, options: DeltaOptions): ResourceSyncer<'emails'> {
  return deltaSyncer<'emails', Message>(
    {
      resource: 'mail',
      table: 'emails',
      firstRequest: mailFirstRequest,
      window: mailWindow,
      map: mapMessage,
    },
    access,
    options,
  );
}
