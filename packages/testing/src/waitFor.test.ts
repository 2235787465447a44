import { waitFor } from './waitFor';

describe('waitFor', () => {
  it('returns the first value that is neither undefined nor false', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls < 3 ? undefined : calls), {
      what: 'three calls',
      intervalMs: 1,
    });
    expect(value).toBe(3);
  });

  it('keeps polling while the probe answers false', async () => {
    let calls = 0;
    await expect(waitFor(async () => ++calls > 2, { what: 'a true', intervalMs: 1 })).resolves.toBe(true);
  });

  it('names what it waited for when the deadline passes', async () => {
    await expect(waitFor(() => false, { what: 'the moon', timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(
      'timed out after 20 ms waiting for the moon',
    );
  });
});
