import { z } from 'zod';
import { connectionEventSchema, crmNotificationSchema } from './events';
import { QUEUE_NAMES } from './queues';

/** A plain JSON value, the shape of the generated document. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

type EventUnion = typeof connectionEventSchema | typeof crmNotificationSchema;

/** Each event type of a union with its JSON Schema: what senders write (`input`) or what receivers get (`output`). */
export function eventMessages(
  union: EventUnion,
  io: 'input' | 'output',
): Array<{ type: string; payload: Json }> {
  return union.options.map((option) => {
    const { $schema: _dialect, ...payload } = z.toJSONSchema(option, { target: 'draft-7', io }) as Record<
      string,
      Json
    >;
    return { type: option.shape.type.value, payload };
  });
}

const refs = (prefix: string, types: string[]): Json[] =>
  types.map((type) => ({ $ref: `${prefix}/${type}` }));

/**
 * The AsyncAPI 3.0 document of the events crm-sync receives (`connection-events`, also accepted by
 * `POST /v1/events`) and the notifications it sends the CRM (`crm-notifications`), generated from the zod schemas
 * that validate them, so the published contract cannot drift from the code (docs/asyncapi.yaml is this document;
 * `npm run docs:asyncapi` rewrites it and `npm run check:root` compares).
 */
export function asyncApiDocument(): Json {
  const inbound = eventMessages(connectionEventSchema, 'input');
  const outbound = eventMessages(crmNotificationSchema, 'output');
  const messages: Record<string, Json> = {};
  for (const { type, payload } of [...inbound, ...outbound]) {
    messages[type] = { name: type, title: type, contentType: 'application/json', payload };
  }
  const channel = (address: string, description: string, types: string[]) => ({
    address,
    description,
    messages: Object.fromEntries(types.map((t) => [t, { $ref: `#/components/messages/${t}` }])),
  });
  const inTypes = inbound.map((m) => m.type);
  const outTypes = outbound.map((m) => m.type);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'crm-sync events',
      version: '1.0.0',
      description:
        'Events CRM services send crm-sync (BullMQ queue `connection-events`, or `POST /v1/events` with a service ' +
        'token) and the notifications crm-sync sends the CRM (BullMQ queue `crm-notifications`, job name = event ' +
        'type, job id = eventId). Every payload is validated on both sides; unknown fields are refused.',
    },
    defaultContentType: 'application/json',
    channels: {
      connectionEvents: channel(
        QUEUE_NAMES.connectionEvents,
        'Inbound: what a CRM service asks crm-sync to do.',
        inTypes,
      ),
      crmNotifications: channel(
        QUEUE_NAMES.crmNotifications,
        'Outbound: what crm-sync tells the CRM, sent through a transactional outbox (at least once).',
        outTypes,
      ),
    },
    operations: {
      receiveConnectionEvent: {
        action: 'receive',
        channel: { $ref: '#/channels/connectionEvents' },
        messages: refs('#/channels/connectionEvents/messages', inTypes),
      },
      sendCrmNotification: {
        action: 'send',
        channel: { $ref: '#/channels/crmNotifications' },
        messages: refs('#/channels/crmNotifications/messages', outTypes),
      },
    },
    components: { messages },
  };
}
