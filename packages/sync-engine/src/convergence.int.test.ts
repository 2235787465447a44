import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import fc from 'fast-check';
import { connectSandboxAccount, SYNC_CASES } from '../test';
import { apply, divergence, quiesce, stepArbitrary, type Step } from '../test/convergence';

// Bounded here; `npm run test:convergence` sets CONVERGENCE_RUNS (and may set CONVERGENCE_SEED/CONVERGENCE_PATH to
// replay a failure printed by an earlier run).
const RUNS = Number(process.env.CONVERGENCE_RUNS ?? 3);
const SEED = process.env.CONVERGENCE_SEED === undefined ? undefined : Number(process.env.CONVERGENCE_SEED);
const PATH = process.env.CONVERGENCE_PATH;
const SIZE = 150;

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

let account = 0;

describe.each(SYNC_CASES.map((c) => [`${c.provider} ${c.resource}`, c] as const))('%s', (_name, c) => {
  it(
    'converges to the provider state after any interleaving of changes, expiries, faults, slices and audits',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 25 }), async (steps: Step[]) => {
          account += 1;
          const { connectionId, account: sandboxAccount } = await connectSandboxAccount(h, {
            provider: c.provider,
            email: `converge-${account}-${c.provider}-${c.resource}@example.com`,
            sizes: { [c.sandboxResource]: SIZE },
            resources: [c.resource],
          });
          const run = { h, c, connectionId, accountId: sandboxAccount.id };
          for (const step of steps) await apply(run, step);
          await quiesce(run);
          expect(await divergence(run)).toEqual({ missing: [], ghosts: [], changed: [], stale: [] });
        }),
        {
          numRuns: RUNS,
          ...(SEED !== undefined && { seed: SEED }),
          ...(PATH !== undefined && { path: PATH }),
          // Each run is a real sync against Postgres and the sandbox: report the first failing seed, don't shrink.
          endOnFailure: true,
        },
      );
      // A run takes well under a second; the allowance grows with the runs asked for.
    },
    30_000 + RUNS * 1_000,
  );
});
