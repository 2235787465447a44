import { runHealthChecks } from './health';

describe('runHealthChecks', () => {
  it('is ok when every check resolves', async () => {
    const report = await runHealthChecks({ a: async () => {}, b: async () => {} });
    expect(report.status).toBe('ok');
    expect(Object.keys(report.checks)).toEqual(['a', 'b']);
    expect(report.checks.a).toEqual({ status: 'ok', latencyMs: expect.any(Number) });
  });

  it('fails the report when one check rejects, and says why without credentials', async () => {
    const report = await runHealthChecks({
      good: async () => {},
      bad: async () => {
        throw new Error('connect failed: Authorization: Bearer s3cr3t-value');
      },
    });
    expect(report.status).toBe('fail');
    expect(report.checks.good?.status).toBe('ok');
    expect(report.checks.bad).toMatchObject({
      status: 'fail',
      error: 'connect failed: Authorization: Bearer [Redacted]',
    });
  });

  it('times out a hanging check on its own, without holding up the others', async () => {
    // No wall-clock bound: the report coming back at all shows the hanging check was cut off.
    const report = await runHealthChecks(
      { hangs: () => new Promise<void>(() => {}), quick: async () => {} },
      { timeoutMs: 50 },
    );
    expect(report.checks.hangs).toMatchObject({ status: 'fail', error: 'timed out after 50 ms' });
    expect(report.checks.hangs?.latencyMs).toBeGreaterThanOrEqual(45);
    expect(report.checks.quick?.status).toBe('ok');
  });

  it('counts a synchronous throw and a non-Error rejection as failures', async () => {
    const report = await runHealthChecks({
      throwsSync: (() => {
        throw new Error('sync boom');
      }) as () => Promise<void>,
      rejectsString: () => Promise.reject('plain string'),
    });
    expect(report.checks.throwsSync).toMatchObject({ status: 'fail', error: 'sync boom' });
    expect(report.checks.rejectsString).toMatchObject({ status: 'fail', error: 'plain string' });
  });

  it('is ok with no checks at all', async () => {
    expect(await runHealthChecks({})).toEqual({ status: 'ok', checks: {} });
  });
});
