// `npx crm-sync <command>`: the operator's tool. Wiring only: the commands call the packages that own each table.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@crm-sync/config';
import { createDataSource } from '@crm-sync/db';
import type { DataSource } from 'typeorm';
import { connections, disconnect, queues, reseal, sync, UsageError, type CliDeps } from './commands';
import { seal } from './sealCommand';

const USAGE = `usage: crm-sync <command>
  connections --tenant <id> [--status active|needs_reauth|revoked|disconnected]
                                      connections of a tenant and their resources' sync states
  sync <connectionId> --tenant <id> [--full] [--resource <name>]...
                                      ask for a round now (a full resync with --full)
  disconnect <connectionId> --tenant <id> [--purge]
                                      revoke, delete the tokens (and the synced data with --purge)
  queues                              jobs per queue and the oldest waiting job's age
  reseal [--batch-size <n>]           re-seal credentials and re-wrap data keys under the active vault key
  seal [--batch <n>]                  seal rows written before content was sealed (resumable, idempotent)`;

/** sysexits.h: a bad invocation is 64, so scripts can tell it from a failure. */
const EXIT_USAGE = 64;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let db: DataSource | undefined;
  const config = loadConfigOrExit(command === 'reseal' ? 'reseal' : 'cli');
  const deps: CliDeps = {
    config,
    print,
    db: async () => {
      if (!db) {
        db = createDataSource({
          url: config.database.url,
          tls: config.database.tls,
          poolSize: 2,
          applicationName: 'crm-sync-cli',
        });
        await db.initialize();
      }
      return db;
    },
  };
  try {
    switch (command) {
      case 'connections': {
        const { values } = args(rest, { tenant: 'string', status: 'string' }, 0);
        return await connections(
          deps,
          required(values.tenant, '--tenant'),
          values.status as string | undefined,
        );
      }
      case 'sync': {
        const { values, positionals } = args(
          rest,
          { tenant: 'string', full: 'boolean', resource: 'strings' },
          1,
        );
        return await sync(deps, {
          tenantId: required(values.tenant, '--tenant'),
          connectionId: positionals[0] as string,
          full: values.full === true,
          resources: (values.resource as string[] | undefined) ?? [],
        });
      }
      case 'disconnect': {
        const { values, positionals } = args(rest, { tenant: 'string', purge: 'boolean' }, 1);
        return await disconnect(deps, {
          tenantId: required(values.tenant, '--tenant'),
          connectionId: positionals[0] as string,
          purge: values.purge === true,
        });
      }
      case 'queues':
        args(rest, {}, 0);
        return await queues(deps);
      case 'reseal':
        return await reseal(deps, rest);
      case 'seal': {
        const { values } = args(rest, { batch: 'string' }, 0);
        return await seal(deps, values.batch as string | undefined);
      }
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'no command');
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`crm-sync: ${error.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  } finally {
    if (db?.isInitialized) await db.destroy();
  }
}

type Kind = 'string' | 'boolean' | 'strings';

function args(argv: string[], options: Record<string, Kind>, positionals: number) {
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(options).map(([name, kind]) => [
          name,
          kind === 'strings' ? { type: 'string' as const, multiple: true } : { type: kind },
        ]),
      ),
    });
    if (parsed.positionals.length !== positionals)
      throw new UsageError(`expected ${positionals} argument(s), got ${parsed.positionals.length}`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function required(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Name and message only: the packages' errors carry ids, never secrets; a stack adds nothing for an operator.
    process.stderr.write(
      `crm-sync failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
