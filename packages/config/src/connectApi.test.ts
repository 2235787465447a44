import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './index';

const secret = 's'.repeat(32);

describe('connect-api and provider configuration', () => {
  it('defaults to the sandbox and a development service token outside production', () => {
    const config = loadConfig({});
    expect(config.providers.endpoints).toEqual({
      mode: 'sandbox',
      httpUrl: 'http://127.0.0.1:4010',
      httpsUrl: 'https://127.0.0.1:4011',
      caFile: expect.stringMatching(/crm-sync-sandbox-ca\.pem$/),
    });
    expect(config.providers.google?.clientId).toBe('sandbox-client-id');
    expect(config.connectApi.serviceTokens).toEqual([
      expect.objectContaining({ name: 'crm-dev', tenants: '*' }),
    ]);
  });

  it('goes live in production and offers only providers with credentials', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        TRANSPORT_PRIVATE_NETWORK: 'true',
        PUBLIC_BASE_URL: 'https://sync.example.com',
        VAULT_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`,
        CONTENT_INDEX_KEY: `i:${randomBytes(32).toString('base64')}`,
        SERVICE_TOKENS: `crm:${secret}:t1|t2`,
        DELETION_RECEIPT_KEYS: `r1:${generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
        GOOGLE_CLIENT_ID: 'id',
        GOOGLE_CLIENT_SECRET: 'shh',
      },
      'connect-api',
    );
    expect(config.providers.endpoints).toEqual({ mode: 'live' });
    expect(config.providers.google).toEqual({ clientId: 'id', clientSecret: 'shh', testingMode: false });
    expect(config.providers.microsoft).toBeUndefined();
    expect(config.connectApi.serviceTokens).toEqual([{ name: 'crm', secret, tenants: ['t1', 't2'] }]);
  });

  it.each([
    ['SERVICE_TOKENS', { SERVICE_TOKENS: 'crm:short:*' }],
    ['SERVICE_TOKENS', { SERVICE_TOKENS: `crm:${secret}:` }],
    ['SERVICE_TOKENS', { SERVICE_TOKENS: `bad name:${secret}:*` }],
    [
      'SERVICE_TOKENS',
      {
        NODE_ENV: 'production',
        VAULT_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
        CONTENT_INDEX_KEY: `i:${randomBytes(32).toString('base64')}`,
      },
    ],
    ['ALLOWED_REDIRECT_ORIGINS', { ALLOWED_REDIRECT_ORIGINS: 'crm.example.com' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'ftp://x' }],
    ['SANDBOX_HTTPS_URL', { SANDBOX_HTTPS_URL: 'http://127.0.0.1:1' }],
    ['PROVIDER_MODE', { PROVIDER_MODE: 'fake' }],
    ['TRUST_PROXY', { TRUST_PROXY: '0' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'true' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.internal' }],
    ['PROVIDER_CALLOUT_SHARE', { PROVIDER_CALLOUT_SHARE: '0' }],
    ['PROVIDER_CALLOUT_SHARE', { PROVIDER_CALLOUT_SHARE: '1' }],
    ['CONNECT_API_HEADERS_TIMEOUT_MS', { CONNECT_API_HEADERS_TIMEOUT_MS: '40000' }],
    ['CONNECT_API_TLS_KEY_FILE', { CONNECT_API_TLS_CERT_FILE: '/etc/tls/cert.pem' }],
    ['CONNECT_API_TLS_CERT_FILE', { CONNECT_API_TLS_KEY_FILE: '/etc/tls/key.pem' }],
    ['CONNECT_API_TLS_CERT_FILE', { CONNECT_API_TLS_CERT_FILE: '/nope', CONNECT_API_TLS_KEY_FILE: '/nope' }],
  ])('rejects a bad %s', (variable, env) => {
    try {
      loadConfig(env);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it("keeps a fifth of each connection's provider requests for callouts unless told otherwise", () => {
    expect(loadConfig({}).connectApi.calloutShare).toBe(0.2);
    expect(loadConfig({}).worker.calloutShare).toBe(0.2);
    expect(loadConfig({ PROVIDER_CALLOUT_SHARE: '0.5' }).worker.calloutShare).toBe(0.5);
  });

  it('trusts no proxy by default, and a hop count or addresses when told', () => {
    expect(loadConfig({}).connectApi.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).connectApi.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1/128' }).connectApi.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1/128',
    ]);
  });

  it('has bounded timeouts and connections by default, and a separate ops port', () => {
    expect(loadConfig({}).connectApi).toMatchObject({
      timeouts: { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 72_000, connectionMs: 120_000 },
      maxConnections: 4_096,
      connectStartRateLimitPerMinute: 30,
      tls: undefined,
      ops: { host: '127.0.0.1', port: 3004 },
    });
  });

  it('never puts a short secret into its message', () => {
    expect(() => loadConfig({ SERVICE_TOKENS: 'crm:tiny-secret-value:*' })).toThrow(
      /"crm" must be at least 24/,
    );
  });
});

describe('scheduler configuration', () => {
  it('shares the sync interval and refresh margin with the worker', () => {
    const config = loadConfig({ SYNC_INCREMENTAL_INTERVAL_MS: '60000', TOKEN_REFRESH_MARGIN_MS: '120000' });
    expect(config.scheduler).toMatchObject({
      syncIntervalMs: 60_000,
      tokenRefreshMarginMs: 120_000,
      tickMs: 1000,
      auditIntervalMs: 86_400_000,
    });
    expect(loadConfig({ AUDIT_INTERVAL_MS: '0' }).scheduler.auditIntervalMs).toBe(0);
  });

  it('configures expiry warnings and the Google testing-mode rule', () => {
    expect(loadConfig({}).scheduler.expiryWarningLeadMs).toBe(7 * 86_400_000);
    expect(loadConfig({ EXPIRY_WARNING_DAYS: '0' }).scheduler.expiryWarningLeadMs).toBe(0);
    const google = { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'shh', GOOGLE_OAUTH_TESTING_MODE: 'true' };
    expect(loadConfig(google).providers.google?.testingMode).toBe(true);
    expect(() => loadConfig({ GOOGLE_OAUTH_TESTING_MODE: 'yes' })).toThrow(/^GOOGLE_OAUTH_TESTING_MODE: /);
  });

  it('configures the outbox relay', () => {
    expect(loadConfig({}).scheduler.outbox).toEqual({ pollMs: 200, batchSize: 500, maxBackoffMs: 10_000 });
    expect(loadConfig({ OUTBOX_RELAY_POLL_MS: '50' }).scheduler.outbox.pollMs).toBe(50);
  });

  it.each([
    ['SCHEDULER_BATCH_SIZE', { SCHEDULER_BATCH_SIZE: '0' }],
    ['SYNC_INTERVAL_JITTER_RATIO', { SYNC_INTERVAL_JITTER_RATIO: '2' }],
    ['OUTBOX_RELAY_BATCH_SIZE', { OUTBOX_RELAY_BATCH_SIZE: '0' }],
  ])('rejects a bad %s', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}: `));
  });
});

describe('dashboard configuration', () => {
  it('uses a development password outside production and demands one in production', () => {
    expect(loadConfig({}).dashboard).toMatchObject({ operator: { user: 'operator' }, port: 3003 });
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        VAULT_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`,
        CONTENT_INDEX_KEY: `i:${randomBytes(32).toString('base64')}`,
        SERVICE_TOKENS: `crm:${secret}:*`,
      }),
    ).toThrow(/^DASHBOARD_PASSWORD: required in production/);
    // Each process needs only its own secrets: a scheduler has none of these.
    const privateNetwork = { NODE_ENV: 'production', TRANSPORT_PRIVATE_NETWORK: 'true' };
    expect(loadConfig(privateNetwork, 'scheduler').scheduler.tickMs).toBe(1_000);
    expect(() => loadConfig({ NODE_ENV: 'production' }, 'worker')).toThrow(/^VAULT_KEYS: /);
    expect(() => loadConfig({ DASHBOARD_PASSWORD: 'short' })).toThrow(
      /^DASHBOARD_PASSWORD: must be at least 16/,
    );
  });
});

describe('dashboard admin', () => {
  const production = {
    NODE_ENV: 'production',
    TRANSPORT_PRIVATE_NETWORK: 'true',
    DASHBOARD_PASSWORD: 'operator-password-0123',
  };

  it('has a development admin, and none in production unless configured (read-only is the safe state)', () => {
    expect(loadConfig({}).dashboard.admin).toEqual({
      user: 'admin',
      password: 'dev-dashboard-admin-password',
    });
    expect(loadConfig(production, 'dashboard').dashboard.admin).toBeUndefined();
    expect(
      loadConfig({ ...production, DASHBOARD_ADMIN_PASSWORD: 'admin-password-0123456' }, 'dashboard').dashboard
        .admin,
    ).toEqual({ user: 'admin', password: 'admin-password-0123456' });
  });

  it.each([
    [
      'DASHBOARD_ADMIN_PASSWORD',
      { ...production, DASHBOARD_ADMIN_USER: 'root' },
      /required in production when/,
    ],
    ['DASHBOARD_ADMIN_PASSWORD', { DASHBOARD_ADMIN_PASSWORD: 'short' }, /must be at least 16/],
    [
      'DASHBOARD_ADMIN_PASSWORD',
      { DASHBOARD_ADMIN_PASSWORD: 'dev-dashboard-password' },
      /must differ from DASHBOARD_PASSWORD/,
    ],
    ['DASHBOARD_ADMIN_USER', { DASHBOARD_ADMIN_USER: 'operator' }, /must differ from DASHBOARD_USER/],
  ])('refuses a bad %s', (variable, env, problem) => {
    expect(() => loadConfig(env, 'dashboard')).toThrow(new RegExp(`^${variable}: ${problem.source}`));
  });
});
