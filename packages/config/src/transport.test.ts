import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, type AppName } from './index';

// readPemFile checks the file is PEM, not that it is a certificate: the TLS handshake is what checks that.
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let dir: string;
let caFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-sync-config-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, PEM);
  writeFileSync(join(dir, 'not-pem.txt'), 'hello');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every production secret set, so only the transport rules decide. */
const production = {
  NODE_ENV: 'production',
  VAULT_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`,
  CONTENT_INDEX_KEY: `i:${randomBytes(32).toString('base64')}`,
  SERVICE_TOKENS: `crm:${'s'.repeat(32)}:*`,
  DASHBOARD_PASSWORD: 'p'.repeat(20),
  DELETION_RECEIPT_KEYS: `r1:${generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
  PUBLIC_BASE_URL: 'https://sync.example.com',
};
const tlsEverywhere = () => ({
  DATABASE_URL: 'postgres://crm@db.internal:5432/crm_sync?sslmode=verify-full',
  DATABASE_CA_FILE: caFile,
  REDIS_URL: 'rediss://redis.internal:6380',
  REDIS_CA_FILE: caFile,
});

const refusal = (env: Record<string, string>, app?: AppName) => {
  try {
    loadConfig(env, app);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('transport in production', () => {
  it('accepts HTTPS, Postgres over verified TLS and Redis over TLS', () => {
    const config = loadConfig({ ...production, ...tlsEverywhere() });
    // sslmode leaves the URL: node-postgres would let it override the `ssl` option (see transport.ts).
    expect(config.database).toMatchObject({
      url: 'postgres://crm@db.internal:5432/crm_sync',
      tls: { ca: PEM },
    });
    expect(config.redis).toEqual({ url: 'rediss://redis.internal:6380', tls: { ca: PEM } });
  });

  it('trusts the public CAs when no CA file is given', () => {
    const config = loadConfig({
      ...production,
      DATABASE_URL: 'postgres://crm@db.example.com/crm_sync?sslmode=verify-full',
      REDIS_URL: 'rediss://redis.example.com:6380',
    });
    expect(config.database.tls).toEqual({});
    expect(config.redis.tls).toEqual({});
  });

  it.each([
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'http://sync.example.com' }, 'must be https:// in production'],
    // An empty variable counts as unset (load.ts), which takes the CA file away.
    ['DATABASE_URL', { DATABASE_URL: 'postgres://db.internal/crm', DATABASE_CA_FILE: '' }, 'TLS is required'],
    ['REDIS_URL', { REDIS_URL: 'redis://redis.internal:6379', REDIS_CA_FILE: '' }, 'TLS is required'],
  ])('refuses a plain %s in one line naming it', (variable, change, problem) => {
    const message = refusal({ ...production, ...tlsEverywhere(), ...change });
    expect(message).toMatch(new RegExp(`^${variable}: ${problem}`));
    expect(message).not.toContain('\n');
  });

  it('allows plain Postgres and Redis on a declared private network, never a plain public URL', () => {
    const privateNetwork = { ...production, TRANSPORT_PRIVATE_NETWORK: 'true' };
    expect(loadConfig(privateNetwork).database.tls).toBeUndefined();
    expect(refusal({ ...privateNetwork, PUBLIC_BASE_URL: 'http://sync.example.com' })).toMatch(
      /^PUBLIC_BASE_URL: must be https/,
    );
  });

  it('asks each process only about what it connects to', () => {
    const plain = { ...production, PUBLIC_BASE_URL: 'http://sync.example.com' };
    // The dashboard has no database and builds no redirect URI; migrations touch only Postgres.
    expect(refusal(plain, 'dashboard')).toMatch(/^REDIS_URL: /);
    expect(refusal(plain, 'migrate')).toMatch(/^DATABASE_URL: /);
    expect(refusal(plain, 'scheduler')).toMatch(/^DATABASE_URL: /);
    expect(refusal(plain, 'connect-api')).toMatch(/^PUBLIC_BASE_URL: /);
  });
});

describe('transport settings', () => {
  it.each([
    [
      'DATABASE_URL',
      { DATABASE_URL: 'postgres://h/db?sslmode=require' },
      'sslmode must be verify-full or disable',
    ],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://h/db?sslmode=no-verify' }, 'sslmode must be verify-full'],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://h/db?ssl=true' }, 'ssl is not supported'],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://h/db?sslrootcert=/ca.pem' }, 'sslrootcert is not supported'],
    [
      'DATABASE_CA_FILE',
      { DATABASE_URL: 'postgres://h/db?sslmode=disable', DATABASE_CA_FILE: 'x' },
      'set, but',
    ],
    ['DATABASE_CA_FILE', { DATABASE_CA_FILE: '/nonexistent/ca.pem' }, 'cannot read /nonexistent/ca.pem'],
    ['REDIS_CA_FILE', { REDIS_CA_FILE: 'x' }, 'set, but REDIS_URL does not start with rediss://'],
    ['REDIS_URL', { REDIS_URL: 'rediss://h:6380?tls=x' }, 'query parameters are not supported'],
    ['TRANSPORT_PRIVATE_NETWORK', { TRANSPORT_PRIVATE_NETWORK: 'yes' }, 'must be true or false'],
  ])('refuses a bad %s', (variable, env, problem) => {
    expect(refusal(env)).toContain(`${variable}: ${problem}`);
  });

  it('refuses a CA file that is not PEM', () => {
    const file = join(dir, 'not-pem.txt');
    expect(refusal({ DATABASE_CA_FILE: file })).toBe(`DATABASE_CA_FILE: ${file} is not a PEM file`);
  });

  it('turns TLS on for Postgres with a CA file alone, and leaves development plain', () => {
    expect(loadConfig({ DATABASE_CA_FILE: caFile }).database.tls).toEqual({ ca: PEM });
    expect(loadConfig({}).database.tls).toBeUndefined();
    expect(loadConfig({}).redis.tls).toBeUndefined();
  });
});
