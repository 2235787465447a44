import { Signature } from '@hubspot/api-client';
import { type RunningSandbox } from '../../core/types';
import { createPortal, install, startHubspotSandbox } from '../../../test/hubspot';
import { startReceiver, type Receiver } from '../../../test/receiver';
import { MAX_RETRIES } from './send';
import { DEFAULT_CLIENT } from '../../core/types';

// The sandbox's HubSpot webhooks are HubSpot's (docs/providers/hubspot.md#webhooks): configured per app (target URL,
// subscriptions), sent for every portal that installed the app after each change of a contact, company or deal,
// batched (≤ 100 events a request), v3-signed with the app's client secret, retried on failures but 400, 401, 403,
// 404 and 405, under the module's push plan.

let sandbox: RunningSandbox;
let portalId: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  sandbox = await startHubspotSandbox();
  portalId = createPortal(sandbox, 'hooks@example.com', { contacts: 3, companies: 3, deals: 3 }).id;
  await install(sandbox, 'hooks@example.com');
});
afterAll(async () => {
  await sandbox.close();
  for (const receiver of receivers) await receiver.close();
});

const op = <T>(name: string, body: object, account = portalId) =>
  sandbox.control.providerOp('hubspot', account, name, body) as T;

const ALL = ['contact', 'company', 'deal'].flatMap((object) => [
  { eventType: `${object}.creation` },
  { eventType: `${object}.propertyChange`, propertyName: 'hs_lastmodifieddate' },
  { eventType: `${object}.deletion` },
  { eventType: `${object}.associationChange` },
]);

/** A fresh receiver answering `status`, set as the app's target URL with every subscription. */
async function target(status: number | ((index: number) => number), retryBaseMs = 10) {
  const receiver = await startReceiver('/hubspot', status);
  receivers.push(receiver);
  op('webhookSettings', { targetUrl: receiver.url, subscriptions: ALL, retryBaseMs });
  return receiver;
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 3_000 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

type Event = Record<string, unknown> & { subscriptionType: string; objectId: number; attemptNumber: number };
const events = (receiver: Receiver, index: number) => JSON.parse(receiver.received[index]!.body) as Event[];

test('the settings are checked as the Webhooks API checks them', () => {
  expect(() =>
    op('webhookSettings', {
      targetUrl: 'https://x.example/h',
      subscriptions: [{ eventType: 'contact.propertyChange' }],
    }),
  ).toThrow();
  expect(() =>
    op('webhookSettings', {
      targetUrl: 'https://x.example/h',
      subscriptions: [{ eventType: 'ticket.creation' }],
    }),
  ).toThrow();
  expect(() =>
    op('webhookSettings', { clientId: 'nobody', targetUrl: 'https://x.example/h', subscriptions: [] }),
  ).toThrow();
});

test('changes made together go out as one v3-signed request the official client verifies', async () => {
  const receiver = await target(204);
  const contact = sandbox.control.addItem('hubspot', portalId, 'contacts', {});
  const [company] = [sandbox.control.addItem('hubspot', portalId, 'companies', {})];
  sandbox.control.deleteItem(
    'hubspot',
    portalId,
    'deals',
    sandbox.control.addItem('hubspot', portalId, 'deals', {}).id,
  );
  await until(() => receiver.received.length === 1, 'the batch');
  const [{ headers, body }] = receiver.received as [(typeof receiver.received)[0]];
  expect(
    Signature.isValid({
      signatureVersion: 'v3',
      signature: String(headers['x-hubspot-signature-v3']),
      clientSecret: DEFAULT_CLIENT.clientSecret,
      requestBody: body,
      method: 'POST',
      url: receiver.url,
      timestamp: Number(headers['x-hubspot-request-timestamp']),
    }),
  ).toBe(true);
  const sent = events(receiver, 0);
  expect(sent.map((e) => [e.subscriptionType, String(e.objectId)])).toEqual([
    ['contact.creation', contact.id],
    ['company.creation', company!.id],
    ['deal.creation', expect.any(String)],
    ['deal.deletion', expect.any(String)],
  ]);
  expect(sent[0]).toMatchObject({ portalId: Number(portalId), attemptNumber: 0, changeSource: 'CRM' });
  expect(new Set(sent.map((e) => e.eventId)).size).toBe(4);
  sandbox.control.updateItem('hubspot', portalId, 'contacts', contact.id, { firstname: 'Ada' });
  await until(() => receiver.received.length === 2, 'the property change');
  expect(events(receiver, 1)).toEqual([
    expect.objectContaining({
      subscriptionType: 'contact.propertyChange',
      propertyName: 'hs_lastmodifieddate',
    }),
  ]);
});

test('at most 100 events a request', async () => {
  const receiver = await target(204);
  for (let i = 0; i < 150; i += 1) sandbox.control.addItem('hubspot', portalId, 'contacts', {});
  await until(() => receiver.received.length === 2, 'two requests');
  expect([events(receiver, 0).length, events(receiver, 1).length]).toEqual([100, 50]);
});

test('an association change tells both objects', async () => {
  const receiver = await target(204);
  const contact = sandbox.control.addItem('hubspot', portalId, 'contacts', {});
  const company = sandbox.control.addItem('hubspot', portalId, 'companies', {});
  await until(() => receiver.received.length === 1, 'the creations');
  op('associate', { from: { type: 'contacts', id: contact.id }, to: { type: 'companies', id: company.id } });
  await until(() => receiver.received.length === 2, 'the association change');
  expect(events(receiver, 1).map((e) => [e.subscriptionType, String(e.objectId)])).toEqual([
    ['contact.associationChange', contact.id],
    ['company.associationChange', company.id],
  ]);
});

test('a portal that did not install the app gets no webhooks', async () => {
  const receiver = await target(204);
  const other = createPortal(sandbox, 'not-installed@example.com', { contacts: 1 }).id;
  sandbox.control.addItem('hubspot', other, 'contacts', {});
  sandbox.control.addItem('hubspot', portalId, 'contacts', {});
  await until(() => receiver.received.length === 1, 'the installed portal’s request');
  expect(events(receiver, 0).map((e) => String(e.portalId))).toEqual([portalId]);
  expect(op<{ sent: unknown[] }>('webhookLog', {}, other).sent).toEqual([]);
});

test('a failed request is retried with the next attemptNumber; 400–405 are not retried', async () => {
  const flaky = await target((i) => (i < 2 ? 503 : 204));
  sandbox.control.addItem('hubspot', portalId, 'deals', {});
  await until(() => flaky.received.length === 3, 'two retries');
  expect([0, 1, 2].map((i) => events(flaky, i)[0]!.attemptNumber)).toEqual([0, 1, 2]);
  // Each attempt is signed afresh: a retry must pass the receiver's 5-minute window.
  expect(new Set(flaky.received.map((r) => r.headers['x-hubspot-signature-v3'])).size).toBe(3);

  const refusing = await target(401);
  sandbox.control.addItem('hubspot', portalId, 'deals', {});
  await until(() => refusing.received.length === 1, 'the refused request');
  const failing = await target(500, 0);
  sandbox.control.addItem('hubspot', portalId, 'deals', {});
  await until(() => failing.received.length === MAX_RETRIES + 1, 'every retry');
  // The refused one was sent once; the failing one gave up after its retries.
  expect(refusing.received).toHaveLength(1);
  expect(failing.received).toHaveLength(MAX_RETRIES + 1);
});

test('the push plan drops and duplicates requests', async () => {
  const receiver = await target(204);
  op('pushPlan', { drop: 1 });
  sandbox.control.addItem('hubspot', portalId, 'companies', {});
  const dropped = () =>
    op<{ sent: Array<{ status: number | null }> }>('webhookLog', {}).sent.filter((r) => r.status === null);
  await until(() => dropped().length === 1, 'the drop');
  expect(receiver.received).toHaveLength(0);
  op('pushPlan', { duplicate: 1 });
  sandbox.control.addItem('hubspot', portalId, 'companies', {});
  await until(() => receiver.received.length === 2, 'the duplicate');
  expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
});
