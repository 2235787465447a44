import { Parser } from '@asyncapi/parser';
import { asyncApiDocument, connectionEventSchema, crmNotificationSchema } from '@crm-sync/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// Issue 20: the event contracts published as AsyncAPI (docs/asyncapi.yaml), checked against the zod schemas.
const FILE = join(__dirname, '..', '..', '..', 'docs', 'asyncapi.yaml');
const text = readFileSync(FILE, 'utf8');

// DiagnosticSeverity.Error in @asyncapi/parser (Spectral's numbering).
const ERROR = 0;

let parsed: Awaited<ReturnType<Parser['parse']>>;
beforeAll(async () => {
  parsed = await new Parser().parse(text);
}, 120_000);

it('is a valid AsyncAPI document, by the AsyncAPI parser', () => {
  const { document, diagnostics } = parsed;
  expect(
    diagnostics.filter((d) => d.severity === ERROR).map((d) => `${d.path.join('.')}: ${d.message}`),
  ).toEqual([]);
  expect(document).toBeDefined();
  expect(
    document!
      .channels()
      .all()
      .map((c) => c.address()),
  ).toEqual(['connection-events', 'crm-notifications']);
});

it('is what the zod schemas generate (run `npm run docs:asyncapi` after changing them)', () => {
  expect(parse(text)).toEqual(asyncApiDocument());
});

it('has a message for every event type of each schema, on its channel, and no other', () => {
  const { document } = parsed;
  const typesOf = (union: typeof connectionEventSchema | typeof crmNotificationSchema) =>
    union.options.map((option) => option.shape.type.value).sort();
  const messagesOf = (address: string) =>
    document!
      .channels()
      .all()
      .find((c) => c.address() === address)!
      .messages()
      .all()
      .map((m) => m.name())
      .sort();
  expect(messagesOf('connection-events')).toEqual(typesOf(connectionEventSchema));
  expect(messagesOf('crm-notifications')).toEqual(typesOf(crmNotificationSchema));
});

it('describes a payload as its schema validates it: closed, with the same required fields', () => {
  const { document } = parsed;
  const message = document!
    .messages()
    .all()
    .find((m) => m.name() === 'user.deleted')!;
  const payload = message.payload()!.json() as { required?: string[]; additionalProperties?: boolean };
  expect(payload.additionalProperties).toBe(false);
  expect([...(payload.required ?? [])].sort()).toEqual([
    'crmUserId',
    'eventId',
    'occurredAt',
    'tenantId',
    'type',
  ]);
  const event = {
    type: 'user.deleted',
    eventId: '6f1c7a52-34f5-4b8e-9a53-6a1f3c2d9e10',
    occurredAt: '2026-12-02T10:00:00Z',
    tenantId: 't1',
    crmUserId: 'u1',
  };
  expect(connectionEventSchema.safeParse(event).success).toBe(true);
  expect(connectionEventSchema.safeParse({ ...event, extra: 1 }).success).toBe(false);
  expect(connectionEventSchema.safeParse({ ...event, crmUserId: undefined }).success).toBe(false);
});
