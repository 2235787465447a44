// Test-only helpers for the Microsoft tests: a sandbox with this module, the OAuth dance over real
// HTTPS, and an official Graph client pointed at the sandbox
// (docs/providers/clients.md#graph-client-https-and-customhosts).
import { createHash, randomBytes } from 'node:crypto';
import tls from 'node:tls';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { Agent, request } from 'undici';
import { createSandbox } from '../src/core/server';
import { type Account, DEFAULT_CLIENT, type RunningSandbox, type SandboxOptions } from '../src/core/types';
import { createMicrosoftModule, type MicrosoftModuleOptions } from '../src/microsoft/index';

export const REDIRECT_URI = 'http://127.0.0.1:5555/callback';
export const SCOPES =
  'openid offline_access https://graph.microsoft.com/Mail.Read Contacts.Read Calendars.Read';

export interface MicrosoftSandbox {
  sandbox: RunningSandbox;
  /** Trusts the sandbox's self-signed certificate, for undici's `request`. */
  dispatcher: Agent;
  close(): Promise<void>;
}

export async function startMicrosoftSandbox(
  options: SandboxOptions = {},
  module: MicrosoftModuleOptions = {},
): Promise<MicrosoftSandbox> {
  const sandbox = await createSandbox([createMicrosoftModule(module)], options);
  const dispatcher = new Agent({ connect: { ca: sandbox.caPem } });
  // The Graph client calls the global fetch, which takes no undici Agent of another major version than Node's own
  // (providers/src/shared/trustCertificate.ts): the process trusts the certificate instead.
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), sandbox.caPem]);
  return {
    sandbox,
    dispatcher,
    close: async () => {
      await dispatcher.close();
      await sandbox.close();
    },
  };
}

export interface TokenBody {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

export async function postToken(ms: MicrosoftSandbox, form: Record<string, string>) {
  const response = await request(`${ms.sandbox.urls.microsoft}/common/oauth2/v2.0/token`, {
    method: 'POST',
    dispatcher: ms.dispatcher,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
      ...form,
    }).toString(),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

/** Authorize with PKCE S256, follow nothing, read the code from the Location header. */
export async function authorize(ms: MicrosoftSandbox, email: string, extra: Record<string, string> = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: DEFAULT_CLIENT.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: SCOPES,
    state: 'st-1',
    login_hint: email,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  });
  const response = await request(`${ms.sandbox.urls.microsoft}/common/oauth2/v2.0/authorize?${query}`, {
    dispatcher: ms.dispatcher,
  });
  await response.body.dump();
  const target = response.headers.location;
  return {
    status: response.statusCode,
    location: typeof target === 'string' ? new URL(target) : undefined,
    verifier,
  };
}

export async function signIn(ms: MicrosoftSandbox, email: string, scope = SCOPES): Promise<TokenBody> {
  const { location, verifier } = await authorize(ms, email, { scope });
  const code = location?.searchParams.get('code');
  if (code === null || code === undefined)
    throw new Error(`authorize failed: ${location?.searchParams.get('error')}`);
  const { status, body } = await postToken(ms, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  if (status !== 200) throw new Error(`token exchange failed with ${status}`);
  return body as unknown as TokenBody;
}

/**
 * The official client with a chain whose retries are bounded, so request counts are exact
 * (docs/providers/clients.md#client-retries).
 */
export function graphClient(ms: MicrosoftSandbox, token: () => string, maxRetries = 0): Client {
  const auth = new AuthenticationHandler({ getAccessToken: async () => token() });
  const retry = new RetryHandler(new RetryHandlerOptions(0, maxRetries));
  auth.setNext(retry);
  retry.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({
    middleware: auth,
    baseUrl: `${ms.sandbox.urls.microsoft}/`,
    customHosts: new Set(['127.0.0.1']),
  });
}

/** A new account with the given data, signed in, and the official client acting for it. */
export async function connectedGraph(
  ms: MicrosoftSandbox,
  email: string,
  sizes: Record<string, number>,
  scope = SCOPES,
): Promise<{ account: Account; client: Client }> {
  const account = ms.sandbox.control.createAccount({ provider: 'microsoft', email, sizes });
  const tokens = await signIn(ms, account.email, scope);
  return { account, client: graphClient(ms, () => tokens.access_token) };
}
