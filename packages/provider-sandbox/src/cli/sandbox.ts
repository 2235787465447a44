// Runs the provider sandbox standalone (demo, docker-compose, manual testing) and prints its URLs.
// This is the only place in the package that reads the environment.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AccountSpec, DEFAULT_CONTROL_SECRET } from '../core/types';
import { defaultModules } from '../modules';
import { startSandbox } from '../start';
import { loadState, saveStateEvery } from './stateFile';

const integer = (name: string, fallback: number, max: number, what: string) => {
  const value = process.env[name];
  const parsed = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > max) throw new Error(`${name} must be ${what}`);
  return parsed;
};
const port = (name: string, fallback: number) => integer(name, fallback, 65535, 'a port number');
const limit = (name: string, fallback: number) => integer(name, fallback, 10_000_000, 'a request count');

const DEMO_ACCOUNTS: AccountSpec[] = [
  { provider: 'google', email: 'demo@example.com', sizes: { messages: 2_000, events: 300, contacts: 500 } },
  {
    provider: 'microsoft',
    email: 'demo@contoso.example',
    sizes: { messages: 2_000, events: 300, contacts: 500 },
  },
  {
    provider: 'hubspot',
    email: 'demo@hubspot.example',
    sizes: { contacts: 1_000, companies: 200, deals: 300 },
  },
];

async function main(): Promise<void> {
  // Benchmarks lift HubSpot's per-account limits (110 requests / 10 s, 5 searches / s) to measure the pipeline.
  const hubspotLimits = {
    tenSecondly: limit('SANDBOX_HUBSPOT_TEN_SECONDLY', 110),
    searchPerSecond: limit('SANDBOX_HUBSPOT_SEARCH_PER_SECOND', 5),
  };
  // SANDBOX_STATE_FILE (npm start sets one under the project): accounts and grants survive a restart (core/state.ts).
  const stateFile = process.env.SANDBOX_STATE_FILE;
  const saved = stateFile ? loadState(stateFile) : undefined;
  const sandbox = await startSandbox({
    ...(saved && { state: saved }),
    modules: defaultModules({ hubspot: { limits: hubspotLimits } }),
    port: port('SANDBOX_PORT', 4010),
    httpsPort: port('SANDBOX_HTTPS_PORT', 4011),
    host: process.env.SANDBOX_HOST ?? '127.0.0.1',
    controlSecret: process.env.SANDBOX_CONTROL_SECRET ?? DEFAULT_CONTROL_SECRET,
    // SANDBOX_TLS_NAMES=sandbox: the apps reach it at https://sandbox:4011 in Compose, so the certificate names it.
    tlsNames: (process.env.SANDBOX_TLS_NAMES ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  });
  const caFile = process.env.SANDBOX_CA_FILE ?? join(tmpdir(), 'crm-sync-sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caPem);

  // Demo accounts unless SANDBOX_DEMO=0 (kept from the saved state when it has them); the control API can add more.
  if (process.env.SANDBOX_DEMO !== '0') {
    for (const spec of DEMO_ACCOUNTS)
      if (!sandbox.context.accounts.findByEmail(spec.provider, spec.email))
        sandbox.control.createAccount(spec);
  }
  const saver = stateFile ? saveStateEvery(stateFile, () => sandbox.state(), 1000) : undefined;

  console.log(`google     ${sandbox.urls.google}`);
  console.log(`microsoft  ${sandbox.urls.microsoft}   (https; NODE_EXTRA_CA_CERTS=${caFile})`);
  console.log(`hubspot    ${sandbox.urls.hubspot}`);
  console.log(`control    ${sandbox.urls.control}   (Authorization: Bearer <SANDBOX_CONTROL_SECRET>)`);
  console.log(
    `oauth client_id=sandbox-client-id (any http://127.0.0.1:<port>/ or http://localhost:<port>/ redirect)`,
  );

  if (stateFile)
    console.log(`state      ${stateFile}   (${saved ? 'restored' : 'new'}; delete it to start afresh)`);

  const stop = () => {
    saver?.flush();
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
