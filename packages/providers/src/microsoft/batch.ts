import { type Client, GraphError } from '@microsoft/microsoft-graph-client';

/**
 * GET requests through Graph's JSON batching. A batch takes up to 20 requests
 * (https://learn.microsoft.com/graph/json-batching); Graph hands Outlook at most four of them at once
 * (docs/providers/microsoft.md#json-batching), so one batch at a time stays within Outlook's four concurrent
 * requests per mailbox.
 */
const BATCH_SIZE = 20;

/** One request's answer inside a batch. */
export interface BatchedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface BatchBody {
  responses?: Array<BatchedAnswer & { id?: string }>;
}

/**
 * The answers to `urls` (relative to the version root), in the order asked, twenty a call, one call at a time.
 * Graph answers a batch's requests in no promised order, so they are matched by id. `preferHeader` goes on each
 * request (immutable ids and the body type are per request, not per batch).
 */
export async function batchGet(
  client: Client,
  preferHeader: string,
  urls: readonly string[],
): Promise<Array<BatchedAnswer | undefined>> {
  const answers: Array<BatchedAnswer | undefined> = [];
  for (let start = 0; start < urls.length; start += BATCH_SIZE) {
    const chunk = urls.slice(start, start + BATCH_SIZE);
    const requests = chunk.map((url, index) => ({
      id: String(index),
      method: 'GET',
      url,
      headers: { Prefer: preferHeader },
    }));
    const body = (await client.api('/$batch').post({ requests })) as BatchBody;
    const byId = new Map((body.responses ?? []).map((r) => [r.id, r]));
    chunk.forEach((_, index) => answers.push(byId.get(String(index))));
  }
  return answers;
}

/**
 * A failed request of a batch as the GraphError a lone request would have thrown, so the adapter's classifier
 * treats it alike (a 429 keeps its own Retry-After). A missing answer counts as a 500.
 */
export function batchFailure(answer: BatchedAnswer | undefined, what: string): GraphError {
  const status = answer?.status ?? 500;
  const error = new GraphError(status, `batched ${what} answered ${status}`);
  const code = (answer?.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  error.code = typeof code === 'string' ? code : null;
  error.headers = new Headers(answer?.headers ?? {});
  return error;
}
