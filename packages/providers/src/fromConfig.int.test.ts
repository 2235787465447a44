import { loadConfig } from '@crm-sync/config';
import { startSandbox, type RunningSandbox } from '@crm-sync/provider-sandbox';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaptersFromConfig, oauthCallbackUrl } from './fromConfig';

let sandbox: RunningSandbox;
let caFile: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  caFile = join(mkdtempSync(join(tmpdir(), 'crm-sync-providers-')), 'ca.pem');
  writeFileSync(caFile, sandbox.caPem);
});
afterAll(() => sandbox.close());

it('builds every provider against the sandbox from configuration alone, trusting its certificate', async () => {
  const config = loadConfig({
    SANDBOX_HTTP_URL: sandbox.urls.google,
    SANDBOX_HTTPS_URL: sandbox.urls.microsoft,
    SANDBOX_CA_FILE: caFile,
  });
  const built = adaptersFromConfig(config.providers, 'http://127.0.0.1:3000');
  expect([...built.adapters.keys()].sort()).toEqual(['google', 'hubspot', 'microsoft']);
  const microsoft = built.adapters.get('microsoft')!;
  const url = new URL(
    microsoft.oauth.authorizationUrl({
      state: 's'.repeat(43),
      codeChallenge: 'c'.repeat(43),
      resources: ['mail'],
    }),
  );
  expect(url.origin).toBe(new URL(sandbox.urls.microsoft).origin);
  expect(url.searchParams.get('redirect_uri')).toBe(oauthCallbackUrl('http://127.0.0.1:3000', 'microsoft'));
  // A real https call to the sandbox with its self-signed certificate: it reaches the token endpoint.
  await expect(microsoft.oauth.refresh('not-a-real-refresh-token')).rejects.toMatchObject({
    classification: { kind: 'auth_revoked' },
  });
});

it('offers only providers with credentials when live', () => {
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      TRANSPORT_PRIVATE_NETWORK: 'true',
      PUBLIC_BASE_URL: 'https://sync.example.com',
      VAULT_KEYS: `k:${Buffer.alloc(32, 3).toString('base64')}`,
      CONTENT_INDEX_KEY: `i:${randomBytes(32).toString('base64')}`,
      SERVICE_TOKENS: `crm:${'x'.repeat(30)}:*`,
      DELETION_RECEIPT_KEYS: `r1:${generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
      HUBSPOT_CLIENT_ID: 'id',
      HUBSPOT_CLIENT_SECRET: 'secret',
    },
    'worker',
  );
  const built = adaptersFromConfig(config.providers, 'https://sync.example.com');
  expect([...built.adapters.keys()]).toEqual(['hubspot']);
  const url = new URL(
    built.adapters
      .get('hubspot')!
      .oauth.authorizationUrl({ state: 's'.repeat(43), codeChallenge: 'c'.repeat(43), resources: ['deals'] }),
  );
  expect(url.origin).toBe('https://app.hubspot.com');
});
