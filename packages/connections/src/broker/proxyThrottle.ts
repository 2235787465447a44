import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { ProviderApi } from '@crm-sync/core';

/**
 * The most of an answer's body the proxy reads to see whether the provider is throttling (Google's error bodies
 * are a few hundred bytes, docs/providers/google.md); a longer body is no such error and streams on unread past it.
 */
export const THROTTLE_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * An answer's body as the proxy hands it back: the provider's stream itself, untouched (Fastify writes a web stream
 * to the socket as it reads it), or, for an answer whose start was read, a Node stream of it.
 */
export type ProxiedBody = ReadableStream<Uint8Array> | Readable;

/**
 * Whether a provider's answer to a proxied call says it is throttling the connection: any 429, or an answer the
 * adapter names (`ProviderApi.throttledAnswer`, e.g. Google's `403 userRateLimitExceeded`) whose JSON body says
 * so. Only such a named answer's body is read (up to the limit); the body comes back whole either way.
 */
export async function throttlingAnswer(
  api: ProviderApi,
  response: Response,
): Promise<{ throttled: boolean; body: ProxiedBody | null }> {
  const rule = api.throttledAnswer;
  if (response.status === 429) return { throttled: true, body: response.body };
  if (!response.body || !rule?.statuses.includes(response.status))
    return { throttled: false, body: response.body };
  const body = Readable.fromWeb(response.body as NodeReadableStream);
  const read = await readUpTo(body, THROTTLE_BODY_LIMIT_BYTES);
  if (!read.complete) return { throttled: false, body: read.body };
  return { throttled: rule.says(parsed(read.bytes)), body: Readable.from([read.bytes]) };
}

/** The whole body if it fits the limit, else a stream of what was read followed by the rest. */
async function readUpTo(
  body: Readable,
  limit: number,
): Promise<{ complete: true; bytes: Buffer } | { complete: false; body: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { complete: true, bytes: Buffer.concat(chunks) };
    chunks.push(next.value);
    size += next.value.length;
    if (size > limit) {
      async function* rest() {
        yield* chunks;
        for (let more = await iterator.next(); !more.done; more = await iterator.next()) yield more.value;
      }
      return { complete: false, body: Readable.from(rest()) };
    }
  }
}

function parsed(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}
