import { startSandbox } from '../start';
import { parseSandboxState } from './state';
import { DEFAULT_CLIENT, type RunningSandbox } from './types';

// A sandbox restarted with what the last one saved keeps its accounts and grants (npm start, issue 24).
const running: RunningSandbox[] = [];
afterAll(() => Promise.all(running.map((s) => s.close())));

async function sandbox(state?: ReturnType<RunningSandbox['state']>): Promise<RunningSandbox> {
  const s = await startSandbox(state ? { state } : {});
  running.push(s);
  return s;
}

function grant(s: RunningSandbox, accountId: string) {
  const { tokens } = s.context;
  const redirectUri = 'http://127.0.0.1:3000/v1/oauth/google/callback';
  const code = tokens.issueCode({
    provider: 'google',
    accountId,
    clientId: DEFAULT_CLIENT.clientId,
    redirectUri,
    scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    offline: true,
  });
  const issued = tokens.exchangeCode({
    provider: 'google',
    code,
    clientId: DEFAULT_CLIENT.clientId,
    redirectUri,
  });
  if (!issued.ok || !issued.grant.refreshToken) throw new Error('no grant');
  return { access: issued.grant.accessToken, refresh: issued.grant.refreshToken };
}

it('keeps accounts, live grants and revocations across a restart, through JSON', async () => {
  const first = await sandbox();
  const account = first.control.createAccount({
    provider: 'google',
    email: 'keep@example.com',
    sizes: { messages: 3 },
  });
  const kept = grant(first, account.id);
  const revoked = grant(first, account.id);
  expect(first.context.tokens.revoke('google', revoked.refresh)).toBe(true);

  const second = await sandbox(parseSandboxState(JSON.stringify(first.state())));
  const { tokens, accounts } = second.context;
  expect(accounts.findByEmail('google', 'keep@example.com')).toEqual(account);
  expect(tokens.authenticate('google', `Bearer ${kept.access}`)).toMatchObject({ ok: true });
  const refreshed = tokens.refresh('google', kept.refresh, DEFAULT_CLIENT.clientId);
  expect(refreshed).toMatchObject({ ok: true, grant: { account: { id: account.id } } });
  expect(tokens.refresh('google', revoked.refresh, DEFAULT_CLIENT.clientId)).toEqual({
    ok: false,
    reason: 'token_revoked',
  });
  expect(tokens.authenticate('google', `Bearer ${revoked.access}`)).toMatchObject({
    ok: false,
    reason: 'revoked',
  });
  // Revoking one token of a restored grant still ends all of that grant's tokens.
  expect(tokens.revoke('google', kept.access)).toBe(true);
  expect(tokens.refresh('google', kept.refresh, DEFAULT_CLIENT.clientId)).toMatchObject({ ok: false });
});

it.each([
  ['not JSON', '{', 'not JSON'],
  [
    'another version',
    JSON.stringify({ version: 2, accounts: [], tokens: { grants: [], access: [], refresh: [] } }),
    '',
  ],
  [
    'a token without its grant',
    JSON.stringify({
      version: 1,
      accounts: [],
      tokens: { grants: [], access: [], refresh: [{ token: 'r', grant: 0, retired: false }] },
    }),
    'names no grant',
  ],
])('refuses a saved state that is %s', (_what, json, message) => {
  expect(() => parseSandboxState(json)).toThrow(message);
});
