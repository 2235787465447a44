import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { ConfigError, DEV_CONTENT_INDEX_KEY, loadConfig } from './index';

const key = () => randomBytes(32).toString('base64');

describe('loadConfig', () => {
  it('works with no variables set, using machine defaults', () => {
    const config = loadConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/crm_sync');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.vault.activeKeyId).toBe('dev1');
    expect(config.vault.keys.dev1).toHaveLength(32);
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['REDIS_URL', { REDIS_URL: 'not a url' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: 'lots' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['VAULT_KEYS', { NODE_ENV: 'production' }],
    ['VAULT_KEYS', { VAULT_KEYS: 'k1:c2hvcnQ=' }],
    ['VAULT_KEYS', { VAULT_KEYS: `bad id:${key()}` }],
    ['VAULT_ACTIVE_KEY_ID', { VAULT_KEYS: `a:${key()},b:${key()}` }],
    ['VAULT_ACTIVE_KEY_ID', { VAULT_KEYS: `a:${key()}`, VAULT_ACTIVE_KEY_ID: 'b' }],
  ])('rejects a bad %s', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as ConfigError).message.startsWith(`${variable}: `)).toBe(true);
    }
  });

  it('never echoes key material in its messages', () => {
    const secret = Buffer.alloc(31, 7).toString('base64');
    expect(() => loadConfig({ VAULT_KEYS: `k:${secret}` })).toThrow(/32 bytes \(got 31\)/);
    try {
      loadConfig({ VAULT_KEYS: `k:${secret}` });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('picks the active key among several', () => {
    const config = loadConfig({ VAULT_KEYS: `old:${key()},new:${key()}`, VAULT_ACTIVE_KEY_ID: 'new' });
    expect(Object.keys(config.vault.keys).sort()).toEqual(['new', 'old']);
    expect(config.vault.activeKeyId).toBe('new');
  });

  it('stops a process with one clear line and exit code 78, no stack trace', () => {
    const script = `require(${JSON.stringify(path.join(__dirname, 'index.ts'))}).loadConfigOrExit('worker')`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      env: { ...process.env, DATABASE_URL: 'nope' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(78);
    expect(run.stderr.trim().split('\n')).toEqual([
      'crm-sync: invalid configuration: DATABASE_URL: must be a URL starting with postgres:// or postgresql://',
    ]);
  });
});

describe('CONTENT_INDEX_KEY', () => {
  const production = (extra: Record<string, string>) =>
    loadConfig({ NODE_ENV: 'production', TRANSPORT_PRIVATE_NETWORK: 'true', ...extra }, 'worker');
  const secrets = {
    VAULT_KEYS: `k:${key()}`,
    DELETION_RECEIPT_KEYS: `r1:${generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
    PUBLIC_BASE_URL: 'https://sync.example.com',
  };

  it('has a development ring outside production, with rotation like the vault keys', () => {
    expect(loadConfig({}).contentIndex.activeKeyId).toBe(DEV_CONTENT_INDEX_KEY.split(':')[0]);
    const rotated = loadConfig({
      CONTENT_INDEX_KEY: `old:${key()},new:${key()}`,
      CONTENT_INDEX_ACTIVE_KEY_ID: 'new',
    }).contentIndex;
    expect(rotated.activeKeyId).toBe('new');
    expect(Object.keys(rotated.keys).sort()).toEqual(['new', 'old']);
  });

  it.each([
    ['missing', {}, /^CONTENT_INDEX_KEY: required in production/],
    ['the development key', { CONTENT_INDEX_KEY: DEV_CONTENT_INDEX_KEY }, /public development key/],
    ['weak', { CONTENT_INDEX_KEY: `i:${Buffer.alloc(32, 7).toString('base64')}` }, /"i" is weak/],
    ['short', { CONTENT_INDEX_KEY: `i:${randomBytes(16).toString('base64')}` }, /32 bytes \(got 16\)/],
    [
      'without an active id',
      { CONTENT_INDEX_KEY: `a:${key()},b:${key()}` },
      /^CONTENT_INDEX_ACTIVE_KEY_ID: /,
    ],
  ])('is refused in production when %s', (_case, extra, message) => {
    expect(() => production({ ...secrets, ...extra })).toThrow(message);
  });

  it('is accepted in production when random', () => {
    const config = production({ ...secrets, CONTENT_INDEX_KEY: `i1:${key()}` });
    expect(config.contentIndex.activeKeyId).toBe('i1');
  });
});
