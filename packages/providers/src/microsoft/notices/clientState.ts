import { createHmac, timingSafeEqual } from 'node:crypto';

// Graph echoes a subscription's `clientState` (at most 128 characters) in every change and lifecycle notification
// so the receiver can tell them from forgeries (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks,
// "clientState"). crm-sync makes it `<connection id>.<HMAC-SHA256(key, connection id), base64url>`: the notification
// names its connection, and only the holder of the key can make a valid one, so nothing secret is stored per
// subscription (80 characters).

const LABEL = 'crm-sync graph clientState v1\n';

const mac = (key: string, connectionId: string) =>
  createHmac('sha256', key).update(LABEL).update(connectionId).digest('base64url');

/** The clientState to give Graph when subscribing for a connection. */
export function graphClientState(key: string, connectionId: string): string {
  return `${connectionId}.${mac(key, connectionId)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The connection a clientState was made for, or null when it was not made with this key (constant-time check). */
export function connectionOfClientState(key: string, clientState: string): string | null {
  const dot = clientState.indexOf('.');
  const connectionId = clientState.slice(0, dot);
  if (dot < 0 || !UUID.test(connectionId)) return null;
  const given = Buffer.from(clientState.slice(dot + 1));
  const expected = Buffer.from(mac(key, connectionId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? connectionId : null;
}
