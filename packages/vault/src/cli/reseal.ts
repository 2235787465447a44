// Entry point for `npm run vault:reseal`: re-seal stored credentials under VAULT_ACTIVE_KEY_ID.
import { loadConfigOrExit } from '@crm-sync/config';
import { runReseal } from './resealCommand';

const config = loadConfigOrExit('reseal');
runReseal(config, process.argv.slice(2), (line) => console.log(line)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Name and message only: vault and pg messages carry ids, never key or token bytes; stacks add nothing here.
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`vault:reseal failed: ${text}`);
    process.exitCode = 1;
  },
);
