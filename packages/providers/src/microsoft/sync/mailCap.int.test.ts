import type { Message } from '@microsoft/microsoft-graph-types';
import {
  applyRounds,
  connectAccount,
  FULL,
  runRound,
  sandboxItems,
  startGraphHarness,
  type GraphHarness,
} from '../../../test/microsoft/harness';

// Graph serves at most 5,000 messages in a message-delta round with `$filter`
// (docs/providers/microsoft.md#delta-endpoints); the sandbox's cap is lowered here so the test stays small.
const CAP = 50;
let h: GraphHarness;
beforeAll(async () => {
  h = await startGraphHarness(20, { messageDeltaFilterCap: CAP });
});
afterAll(() => h.close());

// KNOWN GAP (issue 16): the mail syncer windows its full round with `$filter=receivedDateTime ge …`, so an inbox with
// more messages than the cap in the window ends its round at the cap and the rest never land. `test.failing` keeps
// this visible: it turns red once the syncer lands every message, and then becomes a plain `test`.
test.failing('a full mail round lands every message in the window, even past the $filter cap', async () => {
  const { account, accessToken } = await connectAccount(h, 'cap.owner@contoso.com', { messages: CAP + 30 });
  const syncer = h.adapter.sync?.mail;
  if (syncer === undefined) throw new Error('the Microsoft adapter has no mail syncer');
  const round = await runRound(syncer, FULL, { accessToken, now: new Date(), initialWindowDays: 30 });
  const inSandbox = [...sandboxItems<Message>(h, account, 'messages').keys()].sort();
  expect(inSandbox).toHaveLength(CAP + 30);
  expect([...applyRounds([round]).keys()].sort()).toEqual(inSandbox);
});
