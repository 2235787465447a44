import type { ProviderApi } from '@crm-sync/core';
import { text } from 'node:stream/consumers';
import { THROTTLE_BODY_LIMIT_BYTES, throttlingAnswer } from './proxyThrottle';

const api: ProviderApi = {
  origins: [],
  fetch,
  retryAfterMs: () => 1_000,
  requestBudget: { requests: 100, windowMs: 10_000 },
  throttledAnswer: {
    statuses: [403],
    says: (body) => (body as { reason?: string } | null)?.reason === 'slow down',
  },
};

const answer = async (response: Response) => {
  const { throttled, body } = await throttlingAnswer(api, response);
  return { throttled, body: body ? await text(body) : null };
};

describe('throttlingAnswer', () => {
  it('takes every 429 as throttling without reading its body', async () => {
    expect(await answer(new Response('{}', { status: 429 }))).toEqual({ throttled: true, body: '{}' });
  });

  it('takes a named status as throttling only when its body says so, and hands the body back whole', async () => {
    const says = JSON.stringify({ reason: 'slow down' });
    expect(await answer(new Response(says, { status: 403 }))).toEqual({ throttled: true, body: says });
    const other = JSON.stringify({ reason: 'forbidden' });
    expect(await answer(new Response(other, { status: 403 }))).toEqual({ throttled: false, body: other });
    expect(await answer(new Response('not json', { status: 403 }))).toEqual({
      throttled: false,
      body: 'not json',
    });
  });

  it('streams a body longer than the limit on, unjudged and whole', async () => {
    const long = JSON.stringify({ reason: 'slow down', pad: 'x'.repeat(THROTTLE_BODY_LIMIT_BYTES) });
    const chunks = [long.slice(0, 1000), long.slice(1000, 9000), long.slice(9000)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
        controller.close();
      },
    });
    expect(await answer(new Response(stream, { status: 403 }))).toEqual({ throttled: false, body: long });
  });

  it('leaves other statuses and providers without a named answer alone', async () => {
    expect(await answer(new Response('{"reason":"slow down"}', { status: 200 }))).toMatchObject({
      throttled: false,
    });
    const plain = await throttlingAnswer(
      { ...api, throttledAnswer: undefined },
      new Response('{"reason":"slow down"}', { status: 403 }),
    );
    expect(plain.throttled).toBe(false);
  });
});
