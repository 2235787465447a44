import { z } from 'zod';

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** Every environment variable crm-sync reads, with defaults that work on a development machine. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/crm_sync'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** CA certificate (PEM) that signed the Postgres server's certificate; turns TLS on with verification. */
  DATABASE_CA_FILE: z.string().optional(),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** CA certificate (PEM) that signed the Redis server's certificate; needs a `rediss://` REDIS_URL. */
  REDIS_CA_FILE: z.string().optional(),
  /** Lets production use plain Postgres and Redis on a network no one else can reach; never a plain public URL. */
  TRANSPORT_PRIVATE_NETWORK: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  VAULT_KEYS: z.string().optional(),
  VAULT_ACTIVE_KEY_ID: z.string().optional(),
  /** `<keyId>:<base64 32-byte secret>,…`: what blind indexes and the keyed content hash derive from. */
  CONTENT_INDEX_KEY: z.string().optional(),
  CONTENT_INDEX_ACTIVE_KEY_ID: z.string().optional(),

  CONNECT_API_HOST: z.string().default('127.0.0.1'),
  CONNECT_API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Origin the browser reaches connect-api at; OAuth redirect URIs are built from it. */
  PUBLIC_BASE_URL: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
  SERVICE_TOKENS: z.string().optional(),
  /** What each service may do with the token broker and which writes it may ask for: JSON, or a file holding it. */
  SERVICE_POLICIES: z.string().optional(),
  /** Access tokens one service may be issued per connection per minute. */
  ACCESS_TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /**
   * Calls one service may make through the token broker's proxy per connection per minute: a share well below
   * each provider's per-user limit (docs/token-broker.md), so callouts cannot spend the quota the sync needs.
   */
  PROXY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /**
   * The fraction of each connection's request budget at its provider (ProviderApi.requestBudget) kept for callouts
   * through the proxy: the sync uses at most the rest, callouts at most this (docs/token-broker.md).
   */
  PROVIDER_CALLOUT_SHARE: z.coerce.number().gt(0).lt(1).default(0.2),
  /**
   * Multiplies every provider's per-user request budget that sync and callouts share. 1 in production; above 1 only
   * against a provider known to allow more, such as the sandbox, which throttles nobody unless told to (tests,
   * benches).
   */
  PROVIDER_REQUEST_BUDGET_FACTOR: z.coerce.number().gt(0).default(1),
  /** A call through the token broker's proxy is abandoned when the provider has not finished answering by then. */
  PROXY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * Largest attachment connect-api streams from a provider (bytes). Gmail's attachments.get answers the whole file as
   * base64 JSON, so this bounds what one request holds in memory; the default is Gmail's 25 MB sending limit.
   */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(25 * 1024 * 1024),
  /**
   * Largest file the CRM may upload to a user's Drive through connect-api (bytes). The body is streamed through in
   * chunks, never held whole; the default is Drive's own limit, 5,120 GB (docs/drive.md#upload).
   */
  DRIVE_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(5120 * 1024 * 1024 * 1024),
  /** Origins a connect request may send the browser back to (comma-separated). */
  ALLOWED_REDIRECT_ORIGINS: z.string().default('http://127.0.0.1:3000,http://localhost:3000'),
  CALLBACK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Connect flows one tenant may start per minute, whichever service asks. */
  CONNECT_START_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Proxies whose X-Forwarded-For is believed: unset (none), a hop count, or comma-separated IPs/CIDRs. */
  TRUST_PROXY: z.string().optional(),
  /** A request (headers and body) must arrive within this; Node answers 408 and closes the socket. */
  CONNECT_API_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** The request headers must arrive within this (at most the request timeout). */
  CONNECT_API_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** An idle keep-alive connection is closed after this; longer than a load balancer's idle timeout (60 s). */
  CONNECT_API_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(72_000),
  /** A socket with no traffic in either direction for this long is destroyed (a client that stopped reading). */
  CONNECT_API_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  /** Open connections connect-api accepts at once; more are refused at accept. */
  CONNECT_API_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(4_096),
  /** PEM certificate chain and key: connect-api then serves HTTPS itself (for deployments without a TLS ingress). */
  CONNECT_API_TLS_CERT_FILE: z.string().optional(),
  CONNECT_API_TLS_KEY_FILE: z.string().optional(),
  /** connect-api's `/metrics` and `/healthz` for operators, apart from the public API port. */
  CONNECT_API_OPS_HOST: z.string().default('127.0.0.1'),
  CONNECT_API_OPS_PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),

  PROVIDER_MODE: z.enum(['sandbox', 'live']).optional(),
  SANDBOX_HTTP_URL: url(['http:', 'https:']).default('http://127.0.0.1:4010'),
  SANDBOX_HTTPS_URL: url(['https:']).default('https://127.0.0.1:4011'),
  /** PEM of the sandbox's self-signed certificate (its https origin serves Microsoft). */
  SANDBOX_CA_FILE: z.string().optional(),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  /**
   * `true` when the Google OAuth consent screen is External and in "Testing": its refresh tokens expire after 7
   * days, and the scheduler warns the CRM before (docs/providers/google.md#refresh-token-lifetime).
   */
  GOOGLE_OAUTH_TESTING_MODE: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Gmail push (issue 25, docs/push.md): the Pub/Sub topic `users.watch` publishes to (`projects/<project>/topics/<topic>`,
   * Gmail's push service account granted Publisher on it). Unset: mail is polled. Set it together with
   * GOOGLE_PUSH_AUDIENCE and GOOGLE_PUSH_SERVICE_ACCOUNT.
   */
  GOOGLE_PUBSUB_TOPIC: z
    .string()
    .regex(/^projects\/[^/]+\/topics\/[^/]+$/, 'must be projects/<project>/topics/<topic>')
    .optional(),
  /** The audience of the OIDC token Pub/Sub signs for our push subscription (its push endpoint URL unless set apart). */
  GOOGLE_PUSH_AUDIENCE: z.string().min(1).optional(),
  /** The service account the push subscription authenticates as: the token's `email` must be this one. */
  GOOGLE_PUSH_SERVICE_ACCOUNT: z.string().min(3).optional(),
  /** The key set Google signs those tokens with; in sandbox mode the sandbox's (docs/providers/google.md#gmail-push). */
  GOOGLE_PUSH_JWKS_URL: url(['https:', 'http:']).optional(),
  MICROSOFT_CLIENT_ID: z.string().optional(),
  MICROSOFT_CLIENT_SECRET: z.string().optional(),
  MICROSOFT_TENANT: z.string().default('common'),
  /**
   * Mail folders the Microsoft mail syncer follows: `all` (every folder), `-name` takes a folder and its subfolders
   * away, a bare name adds one; names are Graph's well-known folder names (`inbox`, `sentitems`, `archive`,
   * `deleteditems`, `junkemail`, …) or folder ids. Unset: the adapter's default, MICROSOFT_DESCRIPTOR.mailFolders
   * (`all,-deleteditems,-junkemail`).
   */
  MICROSOFT_MAIL_FOLDERS: z
    .string()
    .regex(/^\s*-?[A-Za-z0-9_=+/-]+(\s*,\s*-?[A-Za-z0-9_=+/-]+)*\s*$/, 'comma-separated folder names')
    .optional(),
  /**
   * Mail bodies longer than this many bytes (UTF-8) are cut to it and flagged `body_truncated`; unset: the adapters'
   * default, MAIL_BODY_DEFAULTS in packages/providers (256 KiB). At most 256 KiB, the sync engine's cap on any text
   * value (records/safeValues.ts), which would otherwise cut a body without the flag.
   */
  MAIL_BODY_MAX_BYTES: z.coerce.number().int().min(1024).max(262_144).optional(),
  /**
   * Which body Graph is asked for (`Prefer: outlook.body-content-type`): `html` or `text`; unset: the adapter's
   * default (`html`). Gmail serves both as the message has them.
   */
  MAIL_BODY_CONTENT_TYPE: z.enum(['html', 'text']).optional(),
  HUBSPOT_CLIENT_ID: z.string().optional(),
  HUBSPOT_CLIENT_SECRET: z.string().optional(),
  /**
   * How often a HubSpot object type gets a full round instead of an incremental one (permanent deletes have no
   * change feed); unset: the adapter's default, HUBSPOT_DESCRIPTOR.fullRoundEveryMs (24 h).
   */
  HUBSPOT_FULL_ROUND_EVERY_MS: z.coerce.number().int().min(60_000).optional(),
  /**
   * How often an incremental HubSpot round re-reads every object's associations (changing one moves no
   * last-modified date); unset: the adapter's default, HUBSPOT_DESCRIPTOR.associationPassEveryMs (1 h).
   */
  HUBSPOT_ASSOCIATION_PASS_EVERY_MS: z.coerce.number().int().min(60_000).optional(),
  /**
   * HubSpot push (issue 25, docs/push.md): the object types the app's webhook subscriptions cover, as the operator
   * configured them in the developer account with the target URL `{PUBLIC_BASE_URL}/v1/webhooks/hubspot`
   * (comma-separated: contacts, companies, deals). While set, those resources are polled at SYNC_PUSHED_INTERVAL_MS;
   * unset: polled only (docs/providers/hubspot.md#webhooks).
   */
  HUBSPOT_WEBHOOK_RESOURCES: z
    .string()
    .regex(
      /^\s*(contacts|companies|deals)(\s*,\s*(contacts|companies|deals))*\s*$/,
      'comma-separated object types: contacts, companies, deals',
    )
    .transform((text) => [...new Set(text.split(',').map((type) => type.trim()))])
    .pipe(z.array(z.enum(['contacts', 'companies', 'deals'])))
    .optional(),
  /**
   * The HubSpot properties to sync per object type, `type=name,name;type=name` (e.g.
   * `contacts=email,firstname;deals=dealname,amount`); a type left out syncs every property the portal defines,
   * discovered each round. Global: the same lists for every tenant.
   */
  HUBSPOT_PROPERTIES: z
    .string()
    .regex(
      /^\s*(contacts|companies|deals)\s*=\s*[a-z0-9_]+(\s*,\s*[a-z0-9_]+)*(\s*;\s*(contacts|companies|deals)\s*=\s*[a-z0-9_]+(\s*,\s*[a-z0-9_]+)*)*\s*$/,
      '`type=name,name;type=name` with types contacts, companies, deals and lower-case property names',
    )
    .optional(),

  /**
   * Queues this worker consumes (comma-separated queue names): the sync queues, token-refresh, connection-events,
   * audit.
   */
  WORKER_QUEUES: z
    .string()
    .default('sync-google,sync-microsoft,sync-hubspot,token-refresh,connection-events,audit'),
  /** BullMQ key prefix; the same value as the producers' (tests and side-by-side environments change it). */
  WORKER_QUEUE_PREFIX: z.string().min(1).default('crm-sync'),
  /** Slices one worker process runs at once, per queue. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(4),
  WORKER_HTTP_HOST: z.string().default('127.0.0.1'),
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Per-queue BullMQ limiter as `<jobs>/<milliseconds>`: at most that many slices start per window. */
  WORKER_LIMIT_GOOGLE: z.string().default('50/1000'),
  WORKER_LIMIT_MICROSOFT: z.string().default('20/1000'),
  WORKER_LIMIT_HUBSPOT: z.string().default('10/1000'),
  /** How often BullMQ looks for jobs whose worker died (their lock expired) and hands them out again. */
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Job lock lease; renewed while the slice runs, lost when the process dies. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  /** A slice still running this long past its budget is failed and retried (a provider call that hangs). */
  SYNC_STUCK_AFTER_MS: z.coerce.number().int().min(1000).default(120_000),
  /** Time budget of one sync slice; the continuation is re-queued after it. */
  SYNC_SLICE_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  /** From a resource's completed round to its next one; the worker and the scheduler both apply it. */
  SYNC_INCREMENTAL_INTERVAL_MS: z.coerce.number().int().min(1000).default(300_000),
  /**
   * From a resource's completed round to its next poll while a healthy push channel covers it (issue 25): the poll
   * is then only the safety net for lost notices (docs/push.md). Never shorter than the normal interval.
   */
  SYNC_PUSHED_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
  /**
   * How often each worker opens, renews and reauthorizes push channels (Graph subscriptions, issue 25,
   * docs/push.md); 0 turns push off (every resource is polled at its normal interval).
   */
  PUSH_KEEPER_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 100, 'must be 0 (off) or at least 100')
    .default(10_000),
  /** The lifetime asked for a push channel (the provider's maximum caps it). */
  PUSH_CHANNEL_LIFETIME_MS: z.coerce.number().int().min(60_000).default(259_200_000),
  /** A push channel is renewed once it expires within this. */
  PUSH_RENEW_BEFORE_MS: z.coerce.number().int().min(1_000).default(86_400_000),
  SYNC_INITIAL_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  SYNC_BACKOFF_BASE_MS: z.coerce.number().int().min(100).default(30_000),
  SYNC_BACKOFF_MAX_MS: z.coerce.number().int().min(1000).default(21_600_000),
  /**
   * How often each synced resource gets a completeness audit (its provider id set compared with the table); the
   * first one comes this long after its first full round. 0 turns audits off.
   */
  AUDIT_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 60_000, 'must be 0 (off) or at least 60000')
    .default(86_400_000),
  /** Most provider calls one audit may make; a resource that needs more is not audited (its run changes nothing). */
  AUDIT_MAX_CALLS_PER_RUN: z.coerce.number().int().min(1).default(2_000),
  /** Audit calls per provider per minute, across every worker: the audits' share of each provider's quota. */
  AUDIT_CALLS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  DASHBOARD_HOST: z.string().default('127.0.0.1'),
  DASHBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  DASHBOARD_USER: z.string().min(1).default('operator'),
  DASHBOARD_PASSWORD: z.string().optional(),
  /** The credential that may change queues (retry, clean, promote, remove, …); the operator's only reads. */
  DASHBOARD_ADMIN_USER: z.string().min(1).optional(),
  DASHBOARD_ADMIN_PASSWORD: z.string().optional(),
  /** Wrong dashboard credentials one client may send per minute before it is answered 429. */
  DASHBOARD_LOGIN_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  SCHEDULER_TICK_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  SCHEDULER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
  SCHEDULER_HTTP_HOST: z.string().default('127.0.0.1'),
  SCHEDULER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /** How often the scheduler reads the fleet's figures (queue depths, connections by status, freshness). */
  SCHEDULER_FLEET_METRICS_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  /** The outbox relay (in the scheduler) looks for new events this often when it has drained the outbox. */
  OUTBOX_RELAY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  /** Events handed to Redis per relay transaction. */
  OUTBOX_RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Longest pause between relay passes while Redis or Postgres is away (it doubles up to this). */
  OUTBOX_RELAY_MAX_BACKOFF_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** A `connection.expiring` notification goes this many days before a refresh token is known to die; 0: never. */
  EXPIRY_WARNING_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** Up to this fraction is added at random to each sync interval, spreading accounts over time. */
  SYNC_INTERVAL_JITTER_RATIO: z.coerce.number().min(0).max(1).default(0.1),
  /** Deletion receipt signing keys: `keyId:base64(PKCS#8 DER Ed25519 private key)`, comma-separated (docs/deletion.md). */
  DELETION_RECEIPT_KEYS: z.string().optional(),
  /** The key that signs new receipts; required when DELETION_RECEIPT_KEYS holds more than one. */
  DELETION_RECEIPT_ACTIVE_KEY_ID: z.string().optional(),
  /** Rows a purge deletes per statement, each batch committed with its progress. */
  PURGE_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(5_000),
  /** How often the scheduler purges the data of ended connections past their tenant's retention period. */
  RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /** A deletion request that has not moved for this long is sent to the workers again (a lost event, a dead job). */
  DELETION_RESUME_AFTER_MS: z.coerce.number().int().min(1_000).default(600_000),
  /** Audit events older than this are pruned (deletion receipts are kept); 0 keeps them forever. Default 2 years. */
  AUDIT_RETENTION_MS: z.coerce.number().int().min(0).default(63_072_000_000),
  /** Access tokens are refreshed when they expire within this margin. */
  TOKEN_REFRESH_MARGIN_MS: z.coerce.number().int().min(0).default(300_000),
});

export type Env = z.infer<typeof envSchema>;

/** Which process is loading the configuration; in production each must have its own secrets set. */
export type AppName =
  'connect-api' | 'worker' | 'scheduler' | 'dashboard' | 'migrate' | 'reseal' | 'seal-content' | 'cli';
