import { disconnectConnection } from '@crm-sync/connections';
import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { waitFor } from '@crm-sync/testing';
import { GMAIL_PUSH, startApp, type AppHarness } from '../test/appHarness';
import { firstRoundsDone, harnessKeeper, requestedRounds } from '../test/pushKeeper';

// Gmail push at connect-api (issue 25, docs/push.md): the production keeper watches the mailbox at the sandbox, whose
// Pub/Sub pushes each change to connect-api with an OIDC token signed by the sandbox's copy of Google's keys. A token
// that is forged, expired, for another audience or another service account is refused and changes nothing.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp();
});
afterAll(() => h.close());

type Pushed = { status: number; body: string; token: string; sent: string };
const push = (accountId: string, faults: object = {}) =>
  h.sandbox.control.providerOp('google', accountId, 'gmailPush', faults) as Promise<Pushed>;

/** A Google connection whose mail finished its first round, its mailbox watched by the keeper. */
async function watched(email: string) {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email,
    sizes: { messages: 2 },
    resources: ['mail'],
  });
  await h.sandbox.control.providerOp('google', account.id, 'pubsubTopic', {
    topic: GMAIL_PUSH.topic,
    pushEndpoint: `${h.baseUrl}/v1/webhooks/google/pubsub`,
    audience: GMAIL_PUSH.audience(h.baseUrl),
    serviceAccount: GMAIL_PUSH.serviceAccount,
  });
  await firstRoundsDone(h, connectionId);
  expect(await harnessKeeper(h).pass()).toEqual({ opened: 1, renewed: 0, failed: 0 });
  return { connectionId, accountId: account.id };
}

it('a mailbox change becomes one mail round; the same message again is acknowledged and does nothing', async () => {
  const { connectionId, accountId } = await watched('gmail-push@example.com');
  h.sandbox.control.addItem('google', accountId, 'messages', {});
  await waitFor(async () => (await requestedRounds(h, connectionId)).length === 1, {
    what: 'the pushed change',
  });
  expect(await requestedRounds(h, connectionId)).toEqual([['mail']]);
  const sent = await push(accountId, { messageId: 'message-1' });
  expect(sent.status).toBe(204);
  const again = await fetch(`${h.baseUrl}/v1/webhooks/google/pubsub`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sent.token}` },
    body: sent.sent,
  });
  expect(again.status).toBe(204);
  expect(await requestedRounds(h, connectionId)).toEqual([['mail'], ['mail']]);
});

it('refuses forged, expired, foreign-audience and foreign-account tokens, logging none of them', async () => {
  const { connectionId, accountId } = await watched('gmail-forged@example.com');
  const refusals = [
    [{ signWith: 'foreign' }, 401, 'invalid_signature'],
    [{ issuedSecondsAgo: 7200 }, 401, 'stale_notice'],
    [{ audience: 'https://elsewhere.example.com/push' }, 401, 'invalid_signature'],
    [{ serviceAccount: 'someone@else.iam.gserviceaccount.com' }, 401, 'invalid_signature'],
    [{ emailVerified: false }, 401, 'invalid_signature'],
    [{ issuer: 'https://accounts.example.com' }, 401, 'invalid_signature'],
  ] as const;
  for (const [faults, status, code] of refusals) {
    const answer = await push(accountId, faults);
    expect([faults, answer.status]).toEqual([faults, status]);
    expect(JSON.parse(answer.body)).toMatchObject({ code });
    expect(h.logs()).not.toContain(answer.token.split('.')[2]);
  }
  const unsigned = await fetch(`${h.baseUrl}/v1/webhooks/google/pubsub`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(unsigned.status).toBe(401);
  expect(await requestedRounds(h, connectionId)).toEqual([]);
});

it('a watch whose renewal failed is watched again, and stays watched', async () => {
  const { connectionId, accountId } = await watched('gmail-retry@example.com');
  await h.db.dataSource.query(
    `UPDATE push_channels SET status = 'failing', failures = 1, lease_until = now() - interval '1 second'
      WHERE connection_id = $1`,
    [connectionId],
  );
  expect(await harnessKeeper(h).pass()).toEqual({ opened: 1, renewed: 0, failed: 0 });
  const { gmailWatch } = (await h.sandbox.control.providerOp('google', accountId, 'pushChannels', {})) as {
    gmailWatch: unknown;
  };
  expect(gmailWatch).not.toBeNull();
});

it('a disconnect stops the watch at Gmail', async () => {
  const { connectionId, accountId } = await watched('gmail-stop@example.com');
  const view = () =>
    h.sandbox.control.providerOp('google', accountId, 'pushChannels', {}) as Promise<{ gmailWatch: unknown }>;
  expect((await view()).gmailWatch).not.toBeNull();
  await disconnectConnection(h.deps, { connectionId, tenantId: 't1', purge: false, actor: 'user' });
  expect((await view()).gmailWatch).toBeNull();
});
