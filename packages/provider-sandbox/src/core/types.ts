// The contract between the sandbox core and its provider modules (google/, microsoft/, hubspot/).
// Provider modules import only from this file and from core helpers; core never imports a provider.
// The modules a sandbox starts with come from `defaultModules()` in src/modules.ts (one line per provider).
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type SandboxState } from './state';

export type ProviderId = 'google' | 'microsoft' | 'hubspot';
export const PROVIDER_IDS: readonly ProviderId[] = ['google', 'microsoft', 'hubspot'];

/** Injectable time source (epoch milliseconds), so tests can move past token lifetimes. */
export interface Clock {
  now(): number;
}

// ---------------------------------------------------------------------------------------------
// Accounts

export type RefreshRotation = 'same' | 'rotate';

export interface AccountSettings {
  /** Lifetime of issued access tokens in seconds (Google 3599, Microsoft ~3600-5400, HubSpot 1800). */
  accessTokenTtlSeconds: number;
  /** `rotate`: every refresh returns a new refresh token and the used one stops working. */
  refreshRotation: RefreshRotation;
  /** How many changes each resource keeps for incremental reads; older cursors then expire. */
  changeLogLimit: number;
}

export interface AccountSpec {
  provider: ProviderId;
  /** Provider-side account id; generated from the seed when absent. */
  id?: string;
  email: string;
  /** Drives every generated item; same seed, same data. Defaults to a hash of the email. */
  seed?: number;
  /** Number of base items per resource name (e.g. `{ messages: 100000, events: 50 }`). */
  sizes?: Record<string, number>;
  settings?: Partial<AccountSettings>;
}

export interface Account {
  readonly provider: ProviderId;
  readonly id: string;
  readonly email: string;
  readonly seed: number;
  readonly sizes: Readonly<Record<string, number>>;
  readonly settings: AccountSettings;
  /** Clock time when the account was created; generators date base items backwards from it. */
  readonly createdAt: number;
}

export interface AccountStore {
  create(spec: AccountSpec): Account;
  get(provider: ProviderId, id: string): Account | undefined;
  findByEmail(provider: ProviderId, email: string): Account | undefined;
  list(provider?: ProviderId): Account[];
}

// ---------------------------------------------------------------------------------------------
// OAuth clients and tokens

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The redirect URIs registered for the client; each provider matches them its own way (its `RedirectRule`). */
  redirectUris: string[];
  /**
   * Google's OAuth client type: a `desktop` client may also send any loopback IP redirect (any port and path);
   * a `web` client (the default) only its registered URIs (docs/providers/google.md#redirect-uris).
   */
  googleClientType?: 'web' | 'desktop';
  /**
   * Sandbox-only convenience of the default client: any http://127.0.0.1:<port>/... or http://localhost:<port>/...
   * redirect works for every provider, so tests and `npm start` need not register their ports. No provider offers
   * this; register a client without it to get the provider's own rule.
   */
  allowLoopbackRedirects: boolean;
}

/** A provider's rule for whether a client may use a redirect URI: its registered ones, matched the provider's way. */
export type RedirectRule = (client: Readonly<OAuthClient>, redirectUri: string) => boolean;

export interface ClientRegistry {
  register(client: OAuthClient): void;
  get(clientId: string): OAuthClient | undefined;
  /** True when the client exists and the secret matches (constant-time compare). */
  verifySecret(clientId: string, clientSecret: string | undefined): boolean;
  /** The provider's rule, or the default client's sandbox-only loopback convenience. */
  redirectAllowed(clientId: string, redirectUri: string, rule: RedirectRule): boolean;
}

export const DEFAULT_CLIENT: Readonly<OAuthClient> = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  redirectUris: [],
  allowLoopbackRedirects: true,
};

export type PkceMethod = 'S256' | 'plain';

export interface CodeRequest {
  provider: ProviderId;
  accountId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge?: string;
  codeChallengeMethod?: PkceMethod;
  /** Whether the exchange returns a refresh token (Google `access_type=offline`). */
  offline: boolean;
}

export interface CodeExchange {
  provider: ProviderId;
  code: string;
  clientId: string;
  redirectUri: string;
  codeVerifier?: string;
}

export interface TokenGrant {
  accessToken: string;
  refreshToken?: string;
  expiresInSeconds: number;
  scopes: string[];
  account: Account;
  clientId: string;
}

/** Why a code or refresh token was refused; each provider words its own error body. */
export type GrantFailure =
  | 'unknown_code'
  | 'code_reused'
  | 'code_expired'
  | 'redirect_mismatch'
  | 'client_mismatch'
  | 'pkce_mismatch'
  | 'unknown_token'
  | 'token_revoked';

export type GrantResult = { ok: true; grant: TokenGrant } | { ok: false; reason: GrantFailure };

/** State of the bearer token on a request; recorded in every counter entry. */
export type TokenState = 'valid' | 'expired' | 'revoked' | 'invalid' | 'missing' | 'none';

export type AuthResult =
  | { ok: true; account: Account; scopes: string[]; clientId: string }
  /** `accountId` is known for expired and revoked tokens, so counters can attribute the call. */
  | { ok: false; reason: Exclude<TokenState, 'valid' | 'none'>; accountId?: string };

export interface TokenInfo {
  kind: 'access' | 'refresh';
  account: Account;
  clientId: string;
  scopes: string[];
  /** Absent for refresh tokens. */
  expiresAt?: number;
  state: 'valid' | 'expired' | 'revoked';
}

export interface TokenStore {
  /** Authorization codes live 10 minutes and are single-use; a replay also revokes what they issued. */
  issueCode(request: CodeRequest): string;
  exchangeCode(exchange: CodeExchange): GrantResult;
  refresh(provider: ProviderId, refreshToken: string, clientId: string): GrantResult;
  /**
   * Revokes an access or refresh token and everything of the same grant (Google's revoke). False when
   * unknown or already revoked.
   */
  revoke(provider: ProviderId, token: string): boolean;
  /**
   * Retires one refresh token; access tokens already issued keep working until they expire
   * (HubSpot's delete). False when unknown or already dead.
   */
  retireRefreshToken(provider: ProviderId, token: string): boolean;
  /** Marks every access token of the account expired (refresh tokens keep working). */
  expireAccessTokens(provider: ProviderId, accountId: string): number;
  /** Revokes every access and refresh token of the account. */
  revokeAccount(provider: ProviderId, accountId: string): number;
  /** The account's most recently issued refresh token that still works (a RISC `token-revoked` names one). */
  liveRefreshToken(provider: ProviderId, accountId: string): string | undefined;
  authenticate(provider: ProviderId, authorizationHeader: string | undefined): AuthResult;
  inspect(provider: ProviderId, token: string): TokenInfo | undefined;
}

// ---------------------------------------------------------------------------------------------
// Datasets: lazily generated items plus a mutation overlay and a change log

/**
 * How a provider makes the items of one resource. Base items are a pure function of
 * (account seed, ordinal); nothing is stored until an item is mutated.
 * `T` is the provider's stored data; wire fields derived from `seq` (historyId, etag,
 * lastmodified) are added when rendering.
 */
export interface ResourceGenerator<T> {
  provider: ProviderId;
  /** Name used in account `sizes` and in the control API, e.g. `messages`. */
  resource: string;
  /**
   * Base items every account has whatever its `sizes` say (Outlook's folder tree: microsoft/graph/folders.ts);
   * without it, the account's size for `resource`.
   */
  fixedSize?: number;
  idFor(account: Account, ordinal: number): string;
  /** Inverse of idFor; undefined when the id does not have the generator's shape. */
  ordinalOf(account: Account, id: string): number | undefined;
  /** `size` is the account's base size for this resource (for dating items relative to it). */
  make(account: Account, ordinal: number, size: number): T;
  /**
   * Applies control-API fields to an item (add: over a generated one; update: over the current).
   * `now` is the sandbox clock at the time of the change (for `updated`-style fields).
   */
  apply(item: T, fields: Record<string, unknown>, account: Account, now: number): T;
}

export interface StoredItem<T> {
  id: string;
  /** Position in creation order: base items 0..size-1, added items after. */
  ordinal: number;
  /** Change sequence of the last add/update (base items: the account's initial sequence). */
  seq: number;
  data: T;
}

export type ChangeKind = 'add' | 'update' | 'delete';

export interface Change {
  seq: number;
  kind: ChangeKind;
  id: string;
}

export interface PageRequest<T> {
  /** Exclusive ordinal cursor from the previous page's `nextOrdinal`. */
  after?: number;
  limit: number;
  order: 'asc' | 'desc';
  /** Items failing the filter are skipped (scanning continues). */
  filter?: (item: StoredItem<T>) => boolean;
  /** Stops the scan at the first item for which this is true (e.g. older than `after:` in desc order). */
  stopAt?: (item: StoredItem<T>) => boolean;
}

export interface Page<T> {
  items: StoredItem<T>[];
  /** Present when more items may follow. */
  nextOrdinal?: number;
}

export type ChangesResult =
  { ok: true; changes: Change[]; currentSeq: number } | { ok: false; reason: 'expired' | 'invalid' };

export interface Dataset<T> {
  readonly account: Account;
  readonly generator: ResourceGenerator<T>;
  /** Live items (base + added - deleted). */
  count(): number;
  get(id: string): StoredItem<T> | undefined;
  /** Whether the id was an item that has since been deleted. */
  wasDeleted(id: string): boolean;
  /** Every deleted item with the sequence of its deletion, oldest first (for `showDeleted`). */
  deleted(): Change[];
  /** A deleted item as it was when deleted (its last name, for deletions reported under it). */
  lastSeen(id: string): StoredItem<T> | undefined;
  page(request: PageRequest<T>): Page<T>;
  add(fields?: Record<string, unknown>): StoredItem<T>;
  update(id: string, fields: Record<string, unknown>): StoredItem<T> | undefined;
  delete(id: string): boolean;
  /** Changes with seq > `sinceSeq`, ascending, deduplicated to the last change per id. */
  changesSince(sinceSeq: number): ChangesResult;
  /** Makes every cursor issued so far unusable. */
  expireCursors(): void;
}

export interface DatasetStore {
  open<T>(account: Account, generator: ResourceGenerator<T>): Dataset<T>;
  /** Finds the generator a module registered under (provider, resource), for the control API. */
  generator(provider: ProviderId, resource: string): ResourceGenerator<unknown> | undefined;
  /** The account's change sequence (shared by all its resources): a cursor for "now". */
  currentSeq(account: Account): number;
  /** Expires cursors of every resource of the account opened so far. */
  expireAll(account: Account): void;
  /** Calls the listener after every change to any account's items (the sandbox's push, issue 25); returns an unsubscribe. */
  onChange(listener: ChangeListener): () => void;
}

/** One change to an account's items, as push emitters see it. */
export interface DatasetChange {
  account: Account;
  resource: string;
  kind: ChangeKind;
  id: string;
}

export type ChangeListener = (change: DatasetChange) => void;

// ---------------------------------------------------------------------------------------------
// Faults, quota, counters

export type FaultStatus = 429 | 500 | 503;

export type FaultAction =
  /**
   * `retryAfterSeconds` sets the Retry-After value where the provider sends one (see `ErrorRenderer.retryAfter`);
   * a plan that sets it for a provider and status that never carry one is refused.
   */
  | { kind: 'status'; status: FaultStatus; retryAfterSeconds?: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'drop' };

export interface FaultPlan {
  provider?: ProviderId;
  /** Route id (e.g. `gmail.messages.get`); a trailing `*` matches a prefix. Absent: all routes. */
  route?: string;
  accountId?: string;
  action: FaultAction;
  /** Either hit the next N matching requests, or hit each with `rate` probability from a seeded RNG. */
  next?: number;
  rate?: number;
  seed?: number;
}

/** Per-account request budget, like Gmail's per-user quota units. */
export interface QuotaPlan {
  provider: ProviderId;
  accountId: string;
  unitsPerSecond: number;
  /** Gmail answers 429 rateLimitExceeded or 403 userRateLimitExceeded. */
  status: 403 | 429;
}

export interface FaultRegistry {
  add(plan: FaultPlan): void;
  clear(): void;
  /** Consumes and returns the action for this request, if any plan matches. */
  match(provider: ProviderId, route: string, accountId: string | undefined): FaultAction | undefined;
  setQuota(plan: QuotaPlan): void;
  clearQuota(provider: ProviderId, accountId: string): void;
  /** Charges `units`; returns the exceeded plan when the per-second budget is used up. */
  chargeQuota(provider: ProviderId, accountId: string, units: number): QuotaPlan | undefined;
}

export interface CounterEntry {
  provider: ProviderId;
  route: string;
  accountId: string | null;
  /** HTTP status, or 0 when the connection was dropped. */
  status: number;
  tokenState: TokenState;
  count: number;
}

export interface Counters {
  record(entry: Omit<CounterEntry, 'count'>): void;
  entries(): CounterEntry[];
  reset(): void;
}

// ---------------------------------------------------------------------------------------------
// OAuth behaviour switches set through the control API

export interface AuthorizeBehaviour {
  /** Next authorization requests are answered `error=access_denied`. */
  denyNext: number;
  /** Account email used when the request has no `login_hint`. */
  defaultLoginEmail?: string;
  /**
   * Scopes the user unticks on the consent screen (Google's granular consent, Microsoft's per-permission
   * consent): the grant covers the requested scopes minus these, so callers can test partial grants.
   */
  withholdScopes?: string[];
}

/** The scopes a consent actually grants under the current behaviour. */
export function grantedScopes(requested: string[], behaviour: AuthorizeBehaviour): string[] {
  const withheld = new Set(behaviour.withholdScopes ?? []);
  return requested.filter((scope) => !withheld.has(scope));
}

// ---------------------------------------------------------------------------------------------
// Context handed to provider modules

export interface SandboxUrls {
  google: string;
  /** https origin; trust `caPem` to reach it. */
  microsoft: string;
  hubspot: string;
  control: string;
}

export interface SandboxContext {
  clock: Clock;
  urls: SandboxUrls;
  /** The https listener's certificate, for routes that call the sandbox itself (Graph `$batch`). */
  caPem: string;
  accounts: AccountStore;
  clients: ClientRegistry;
  tokens: TokenStore;
  datasets: DatasetStore;
  faults: FaultRegistry;
  counters: Counters;
  authorize(provider: ProviderId): AuthorizeBehaviour;
}

/**
 * Whether a provider's answer with a fault status carries Retry-After: `always` (the renderer picks a value when
 * the plan names none), `sometimes` (documented as optional or reported by third parties: sent only with the
 * plan's value) or `never` (plans that set a value are refused).
 */
export type RetryAfterPlacement = 'always' | 'sometimes' | 'never';

/** A provider's error bodies; the core uses them for auth failures, faults and quota. */
export interface ErrorRenderer {
  unauthorized(reason: Exclude<TokenState, 'valid' | 'none'>): RenderedError;
  retryAfter: Readonly<Record<FaultStatus, RetryAfterPlacement>>;
  fault(status: FaultStatus, retryAfterSeconds: number | undefined): RenderedError;
  quotaExceeded(status: 403 | 429): RenderedError;
}

export interface RenderedError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ProviderModule {
  id: ProviderId;
  /**
   * Google and HubSpot are served over http; Microsoft over https (see
   * docs/providers/clients.md#graph-client-https-and-customhosts).
   */
  listener: 'http' | 'https';
  errors: ErrorRenderer;
  generators: ResourceGenerator<unknown>[];
  /**
   * Settings this provider's accounts get unless the sandbox options or the account spec set them
   * (e.g. HubSpot's 30-minute access tokens).
   */
  accountDefaults?: Partial<AccountSettings>;
  /** Registers routes; every route sets `config: RouteMeta` so hooks can authenticate, fault and count. */
  register(app: FastifyInstance, ctx: SandboxContext): void | Promise<void>;
  /**
   * Control operations only this provider has (HubSpot associations and property definitions), reached through
   * `SandboxControl.providerOp` and `POST /__sandbox/accounts/:provider/:accountId/ops/:op`.
   */
  controlOps?: Readonly<Record<string, ProviderControlOp>>;
}

/**
 * One provider-specific control operation: validates its own body (throwing a ZodError or an Error on bad input,
 * SandboxNotFoundError on unknown items) and returns a JSON-serialisable result.
 */
export type ProviderControlOp = (ctx: SandboxContext, account: Account, body: unknown) => unknown;

/** Per-route config read by the core hooks (fastify `config` option). */
export interface RouteMeta {
  provider: ProviderId;
  /** Stable id used in counters and fault plans, e.g. `gmail.messages.list`. */
  routeId: string;
  /** When true the core authenticates the bearer token before the handler (401 via ErrorRenderer). */
  auth: boolean;
  /** Units charged against the account's quota plan (docs/providers/google.md#gmail-quota). */
  quotaUnits?: number;
}

/** Set by the core on every request that went through `auth`. */
export interface RequestAuth {
  account: Account;
  scopes: string[];
  clientId: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    sandbox?: RouteMeta;
  }
  interface FastifyRequest {
    sandboxAuth: RequestAuth | null;
    sandboxTokenState: TokenState;
    sandboxAccountId: string | null;
  }
}

export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

// ---------------------------------------------------------------------------------------------
// Control operations (in-process; the HTTP control API under /__sandbox/ maps 1:1 onto these)

export interface ItemRef {
  id: string;
  seq: number;
}

export interface SandboxControl {
  createAccount(spec: AccountSpec): Account;
  registerClient(client: OAuthClient): void;
  addItem(
    provider: ProviderId,
    accountId: string,
    resource: string,
    fields?: Record<string, unknown>,
  ): ItemRef;
  updateItem(
    provider: ProviderId,
    accountId: string,
    resource: string,
    id: string,
    fields: Record<string, unknown>,
  ): ItemRef;
  deleteItem(provider: ProviderId, accountId: string, resource: string, id: string): void;
  /** Expires cursors of one resource, or of every resource the account has opened. */
  expireCursors(provider: ProviderId, accountId: string, resource?: string): void;
  expireTokens(provider: ProviderId, accountId: string): number;
  revokeTokens(provider: ProviderId, accountId: string): number;
  addFault(plan: FaultPlan): void;
  clearFaults(): void;
  setQuota(plan: QuotaPlan): void;
  clearQuota(provider: ProviderId, accountId: string): void;
  setAuthorize(provider: ProviderId, behaviour: Partial<AuthorizeBehaviour>): void;
  counters(): CounterEntry[];
  resetCounters(): void;
  /** Runs one of a provider module's own control operations (`ProviderModule.controlOps`). */
  providerOp(provider: ProviderId, accountId: string, op: string, body: unknown): unknown;
}

/** Thrown by control operations on unknown accounts/resources/items (HTTP control API: 404). */
export class SandboxNotFoundError extends Error {
  override name = 'SandboxNotFoundError';
}

export interface SandboxOptions {
  /** http listener port (Google, HubSpot, control); 0 = any free port. */
  port?: number;
  /** https listener port (Microsoft); 0 = any free port. */
  httpsPort?: number;
  host?: string;
  /** Bearer secret for /__sandbox/ control routes. Default: DEFAULT_CONTROL_SECRET. */
  controlSecret?: string;
  clock?: Clock;
  /** Extra OAuth clients besides DEFAULT_CLIENT. */
  clients?: OAuthClient[];
  /** Defaults for accounts created without explicit settings. */
  accountDefaults?: Partial<AccountSettings>;
  /** Provider modules to serve; default: `defaultModules()` of src/modules.ts. */
  modules?: ProviderModule[];
  /** Accounts and grants a previous run saved (core/state.ts). */
  state?: SandboxState;
  /** Names the https certificate holds besides 127.0.0.1 and localhost (a Compose service name). */
  tlsNames?: string[];
}

export const DEFAULT_CONTROL_SECRET = 'sandbox-control-secret';

export interface RunningSandbox {
  urls: SandboxUrls;
  /** PEM of the self-signed certificate of the https listener (use as CA). */
  caPem: string;
  control: SandboxControl;
  /** The live context (for provider tests that need direct access). */
  context: SandboxContext;
  /** What a restart may carry over (core/state.ts). */
  state(): SandboxState;
  close(): Promise<void>;
}
