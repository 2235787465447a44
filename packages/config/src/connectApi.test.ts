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
        VAULT_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`,
        SERVICE_TOKENS: `crm:${secret}:t1|t2`,
        GOOGLE_CLIENT_ID: 'id',
        GOOGLE_CLIENT_SECRET: 'shh',
      },
      'connect-api',
    );
    expect(config.providers.endpoints).toEqual({ mode: 'live' });
    expect(config.providers.google).toEqual({ clientId: 'id', clientSecret: 'shh' });
    expect(config.providers.microsoft).toBeUndefined();
    expect(config.connectApi.serviceTokens).toEqual([{ name: 'crm', secret, tenants: ['t1', 't2'] }]);
  });

  it.each([
    ['SERVICE_TOKENS', { SERVICE_TOKENS: 'crm:short:*' }],
    ['SERVICE_TOKENS', { SERVICE_TOKENS: `crm:${secret}:` }],
    ['SERVICE_TOKENS', { SERVICE_TOKENS: `bad name:${secret}:*` }],
    ['SERVICE_TOKENS', { NODE_ENV: 'production', VAULT_KEYS: `k:${Buffer.alloc(32).toString('base64')}` }],
    ['ALLOWED_REDIRECT_ORIGINS', { ALLOWED_REDIRECT_ORIGINS: 'crm.example.com' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'ftp://x' }],
    ['SANDBOX_HTTPS_URL', { SANDBOX_HTTPS_URL: 'http://127.0.0.1:1' }],
    ['PROVIDER_MODE', { PROVIDER_MODE: 'fake' }],
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
    });
  });

  it.each([
    ['SCHEDULER_BATCH_SIZE', { SCHEDULER_BATCH_SIZE: '0' }],
    ['SYNC_INTERVAL_JITTER_RATIO', { SYNC_INTERVAL_JITTER_RATIO: '2' }],
  ])('rejects a bad %s', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}: `));
  });
});

describe('dashboard configuration', () => {
  it('uses a development password outside production and demands one in production', () => {
    expect(loadConfig({}).dashboard).toMatchObject({ user: 'operator', port: 3003 });
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        VAULT_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`,
        SERVICE_TOKENS: `crm:${secret}:*`,
      }),
    ).toThrow(/^DASHBOARD_PASSWORD: required in production/);
    // Each process needs only its own secrets: a scheduler has none of these.
    expect(loadConfig({ NODE_ENV: 'production' }, 'scheduler').scheduler.tickMs).toBe(1_000);
    expect(() => loadConfig({ NODE_ENV: 'production' }, 'worker')).toThrow(/^VAULT_KEYS: /);
    expect(() => loadConfig({ DASHBOARD_PASSWORD: 'short' })).toThrow(
      /^DASHBOARD_PASSWORD: must be at least 16/,
    );
  });
});
