import type { NoticeRefusal, Provider } from '@crm-sync/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../../plugins/httpErrors';
import { logRefusal, NoticeRefusedError } from './receive';

/** The status and problem `code` of each refusal on the JSON webhook routes (Graph, HubSpot). */
export const REFUSAL_STATUS: Record<NoticeRefusal, [number, string]> = {
  malformed: [400, 'invalid_notice'],
  bad_signature: [401, 'invalid_signature'],
  wrong_issuer: [401, 'invalid_signature'],
  wrong_audience: [401, 'invalid_signature'],
  stale: [401, 'stale_notice'],
  replayed: [409, 'replayed_notice'],
};

/** Provider webhook bodies are read as text: the signature covers the exact bytes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A scope of its own for a provider's webhook routes, where bodies of `contentTypes` are kept as the exact text
 * received (what a signature covers), up to WEBHOOK_BODY_LIMIT_BYTES; `ignoreBody` for providers that send nothing
 * worth reading (nothing in it is authenticated).
 */
export async function webhookScope(
  app: FastifyInstance,
  contentTypes: string | string[],
  routes: (scope: FastifyInstance) => void,
  options: { ignoreBody?: boolean } = {},
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      contentTypes,
      { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, options.ignoreBody ? undefined : body),
    );
    routes(scope);
  });
}

/** A refused notice as its problem document (logged without secrets); anything else is rethrown as it is. */
export function refusalProblem(request: FastifyRequest, provider: Provider, error: unknown): never {
  if (!(error instanceof NoticeRefusedError)) throw error;
  logRefusal(request, provider, error);
  const [status, code] = REFUSAL_STATUS[error.refusal];
  throw new HttpError(status, code, error.message);
}
