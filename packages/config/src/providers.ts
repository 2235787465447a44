import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors';
import type { Env } from './schema';

export interface OAuthAppConfig {
  clientId: string;
  clientSecret: string;
}

/**
 * Where provider calls go. `sandbox` points every provider at the project's emulator (the default outside
 * production, so `npm start` works offline); `live` uses the providers' real endpoints.
 */
export type ProviderEndpointsConfig =
  { mode: 'live' } | { mode: 'sandbox'; httpUrl: string; httpsUrl: string; caFile: string };

/** Gmail push over Pub/Sub (docs/push.md): the topic watched mailboxes publish to, and how its pushes are verified. */
export interface GmailPushConfig {
  topic: string;
  audience: string;
  serviceAccount: string;
  /** Google's OIDC key set; absent: Google's own (live) or the sandbox's (sandbox mode). */
  jwksUrl?: string;
}

/** How mail bodies are fetched and capped; a setting left unset takes the adapters' default. */
export interface MailBodyConfig {
  maxBytes?: number;
  contentType?: 'html' | 'text';
}

export interface ProvidersConfig {
  endpoints: ProviderEndpointsConfig;
  mailBody: MailBodyConfig;
  /** Only providers with credentials are offered; the others answer 404. */
  google?: OAuthAppConfig & { testingMode: boolean; gmailPush?: GmailPushConfig };
  /** `mailFolders`: which mail folders the Microsoft mail syncer follows; unset, the adapter's default. */
  microsoft?: OAuthAppConfig & { tenant: string; mailFolders?: string };
  hubspot?: OAuthAppConfig & {
    fullRoundEveryMs?: number;
    associationPassEveryMs?: number;
    /** Properties to sync per object type (HUBSPOT_PROPERTIES); a type left out syncs all of them. */
    properties?: Record<string, string[]>;
    /** Object types the app's webhook subscriptions cover (HUBSPOT_WEBHOOK_RESOURCES); absent: polled only. */
    webhookResources?: Array<'contacts' | 'companies' | 'deals'>;
  };
}

/** `contacts=email,firstname;deals=dealname` as `{contacts: [...], deals: [...]}` (the schema checked the form). */
function propertyLists(text: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const entry of text.split(';')) {
    const [type = '', names = ''] = entry.split('=').map((part) => part.trim());
    lists[type] = [...(lists[type] ?? []), ...names.split(',').map((name) => name.trim())];
  }
  return lists;
}

/** The sandbox's built-in OAuth client; it exists only inside the emulator. */
const SANDBOX_CLIENT: OAuthAppConfig = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
};

function app(
  id: string | undefined,
  secret: string | undefined,
  sandbox: boolean,
): OAuthAppConfig | undefined {
  if (id && secret) return { clientId: id, clientSecret: secret };
  return sandbox ? SANDBOX_CLIENT : undefined;
}

/** All three of topic, audience and service account, or none (mail is then polled). */
function gmailPush(env: Env): GmailPushConfig | undefined {
  const {
    GOOGLE_PUBSUB_TOPIC: topic,
    GOOGLE_PUSH_AUDIENCE: audience,
    GOOGLE_PUSH_SERVICE_ACCOUNT: serviceAccount,
  } = env;
  if (!topic && !audience && !serviceAccount) return undefined;
  if (!topic)
    throw new ConfigError(
      'GOOGLE_PUBSUB_TOPIC',
      'required with GOOGLE_PUSH_AUDIENCE and GOOGLE_PUSH_SERVICE_ACCOUNT',
    );
  if (!audience) throw new ConfigError('GOOGLE_PUSH_AUDIENCE', 'required with GOOGLE_PUBSUB_TOPIC');
  if (!serviceAccount)
    throw new ConfigError('GOOGLE_PUSH_SERVICE_ACCOUNT', 'required with GOOGLE_PUBSUB_TOPIC');
  return {
    topic,
    audience,
    serviceAccount,
    ...(env.GOOGLE_PUSH_JWKS_URL && { jwksUrl: env.GOOGLE_PUSH_JWKS_URL }),
  };
}

export function providersConfig(env: Env): ProvidersConfig {
  const sandbox = env.PROVIDER_MODE === 'sandbox';
  const google = app(env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET, sandbox);
  const microsoft = app(env.MICROSOFT_CLIENT_ID, env.MICROSOFT_CLIENT_SECRET, sandbox);
  const hubspot = app(env.HUBSPOT_CLIENT_ID, env.HUBSPOT_CLIENT_SECRET, sandbox);
  return {
    endpoints: sandbox
      ? {
          mode: 'sandbox',
          httpUrl: env.SANDBOX_HTTP_URL,
          httpsUrl: env.SANDBOX_HTTPS_URL,
          // Where `npm run sandbox` writes its certificate unless told otherwise.
          caFile: env.SANDBOX_CA_FILE ?? join(tmpdir(), 'crm-sync-sandbox-ca.pem'),
        }
      : { mode: 'live' },
    mailBody: {
      ...(env.MAIL_BODY_MAX_BYTES !== undefined && { maxBytes: env.MAIL_BODY_MAX_BYTES }),
      ...(env.MAIL_BODY_CONTENT_TYPE !== undefined && { contentType: env.MAIL_BODY_CONTENT_TYPE }),
    },
    google: google && {
      ...google,
      testingMode: env.GOOGLE_OAUTH_TESTING_MODE,
      ...(gmailPush(env) && { gmailPush: gmailPush(env) }),
    },
    microsoft: microsoft && {
      ...microsoft,
      tenant: env.MICROSOFT_TENANT,
      ...(env.MICROSOFT_MAIL_FOLDERS !== undefined && { mailFolders: env.MICROSOFT_MAIL_FOLDERS }),
    },
    hubspot: hubspot && {
      ...hubspot,
      ...(env.HUBSPOT_FULL_ROUND_EVERY_MS !== undefined && {
        fullRoundEveryMs: env.HUBSPOT_FULL_ROUND_EVERY_MS,
      }),
      ...(env.HUBSPOT_ASSOCIATION_PASS_EVERY_MS !== undefined && {
        associationPassEveryMs: env.HUBSPOT_ASSOCIATION_PASS_EVERY_MS,
      }),
      ...(env.HUBSPOT_PROPERTIES !== undefined && { properties: propertyLists(env.HUBSPOT_PROPERTIES) }),
      ...(env.HUBSPOT_WEBHOOK_RESOURCES !== undefined && { webhookResources: env.HUBSPOT_WEBHOOK_RESOURCES }),
    },
  };
}
