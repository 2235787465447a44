import { type GaxiosError } from 'gaxios';
import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
import { google } from 'googleapis';
import { request } from 'undici';
import { DEFAULT_CLIENT, type RunningSandbox } from '../src/core/types';

export const GMAIL_READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
export const CALENDAR_READONLY = 'https://www.googleapis.com/auth/calendar.readonly';
export const CONTACTS_READONLY = 'https://www.googleapis.com/auth/contacts.readonly';
export const TASKS_READONLY = 'https://www.googleapis.com/auth/tasks.readonly';
export const DRIVE_FILE = 'https://www.googleapis.com/auth/drive.file';
export const GOOGLE_SCOPES = ['openid', 'email', GMAIL_READONLY, CALENDAR_READONLY, CONTACTS_READONLY];
export const TEST_REDIRECT_URI = 'http://127.0.0.1:9/oauth/callback';

/**
 * An OAuth2Client whose token, revoke and tokeninfo calls go to the sandbox
 * (docs/providers/clients.md#google-auth-library-endpoints).
 */
export function sandboxOAuth2Client(sandbox: RunningSandbox, credentials?: Credentials): OAuth2Client {
  const base = sandbox.urls.google;
  const client = new OAuth2Client({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: TEST_REDIRECT_URI,
    // gaxios otherwise loads node-fetch by dynamic import, which Jest's CommonJS runtime refuses.
    transporterOptions: { fetchImplementation: fetch },
    endpoints: {
      oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${base}/token`,
      oauth2RevokeUrl: `${base}/revoke`,
      tokenInfoUrl: `${base}/tokeninfo`,
    },
  });
  if (credentials) client.setCredentials(credentials);
  return client;
}

/**
 * googleapis clients pointed at the sandbox with per-API rootUrl (the global option does not work:
 * docs/providers/clients.md#googleapis-rooturl).
 */
export function sandboxGoogleApis(
  sandbox: RunningSandbox,
  auth: OAuth2Client,
  options: { retry?: boolean } = {},
) {
  const common = {
    auth,
    rootUrl: `${sandbox.urls.google}/`,
    retry: options.retry ?? false,
    fetchImplementation: fetch,
  };
  return {
    gmail: google.gmail({ version: 'v1', ...common }),
    calendar: google.calendar({ version: 'v3', ...common }),
    people: google.people({ version: 'v1', ...common }),
    tasks: google.tasks({ version: 'v1', ...common }),
    drive: google.drive({ version: 'v3', ...common }),
    oauth2: google.oauth2({ version: 'v2', ...common }),
  };
}

/**
 * Runs the whole consent flow like a browser would: PKCE auth URL, the sandbox's redirect,
 * then the code exchange through the official client. Returns the client holding the tokens.
 */
export async function connectGoogle(
  sandbox: RunningSandbox,
  email: string,
  scopes: string[] = GOOGLE_SCOPES,
): Promise<{ client: OAuth2Client; tokens: Credentials }> {
  const client = sandboxOAuth2Client(sandbox);
  const pkce = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: scopes,
    state: 'test-state',
    login_hint: email,
    code_challenge: pkce.codeChallenge as string,
    code_challenge_method: CodeChallengeMethod.S256,
  });
  const response = await request(url);
  await response.body.dump();
  const location = new URL(String(response.headers.location));
  const code = location.searchParams.get('code');
  if (response.statusCode !== 302 || code === null)
    throw new Error(`consent failed: ${response.statusCode} ${location.search}`);
  const { tokens } = await client.getToken({ code, codeVerifier: pkce.codeVerifier });
  client.setCredentials(tokens);
  return { client, tokens };
}

/** What the official client threw for a call the sandbox refused; fails the test if the call succeeded. */
export async function failure(promise: Promise<unknown>): Promise<GaxiosError> {
  try {
    await promise;
  } catch (error) {
    return error as GaxiosError;
  }
  throw new Error('expected the call to fail');
}
