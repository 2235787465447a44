import { driveFileContent } from '@crm-sync/connections';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { disposition } from '../attachments/getAttachmentContent';
import { problemResponse, serviceErrors, tenantId, text } from '../schemas';

const schema = {
  summary: "A selected Drive file's content, streamed from Drive now (never stored)",
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid(), fileId: text(1024) }),
  querystring: z.strictObject({ tenantId }),
  headers: z.looseObject({ range: z.string().max(200).optional() }),
  response: {
    ...serviceErrors,
    404: problemResponse(
      'No such connection for the tenant (`not_found`), a file the user did not select (`not_selected`), or one Drive no longer serves (`gone_at_provider`)',
    ),
    409: problemResponse('The connection is not active (`connection_inactive`, `provider_not_configured`)'),
    416: problemResponse('The `Range` starts past the end of the file (`range_not_satisfiable`)'),
    429: problemResponse('Drive asks to slow down (`provider_rate_limited`; see Retry-After)'),
    502: problemResponse('Drive could not serve the file (`provider_unavailable`)'),
  },
};

/**
 * `GET /v1/connections/{id}/files/{fileId}/content`: the bytes as Drive sends them, piped through with Node's
 * stream back-pressure, so memory stays bounded whatever the file's size (docs/drive.md#content). A `Range` is
 * passed to Drive, which answers it (206 with Content-Range, 416 past the end). A file not selected is refused
 * before any call to Google.
 */
export function registerGetDriveFileContent(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/connections/:id/files/:fileId/content', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      requireTenant(request, request.query.tenantId);
      const upstream = new AbortController();
      reply.raw.on('close', () => upstream.abort());
      const outcome = await driveFileContent(
        { ...ctx.deps, tokens: ctx.tokens },
        {
          tenantId: request.query.tenantId,
          connectionId: request.params.id,
          fileId: request.params.fileId,
          range: request.headers.range,
          signal: upstream.signal,
        },
      );
      if (outcome.kind === 'refused') {
        if ('retryAfterMs' in outcome && outcome.retryAfterMs !== undefined)
          void reply.header('retry-after', String(Math.ceil(outcome.retryAfterMs / 1000)));
        if ('contentRange' in outcome && outcome.contentRange)
          void reply.header('content-range', outcome.contentRange);
        throw new HttpError(outcome.status, outcome.code, outcome.detail);
      }
      // Typed without the route's response schema: the body is bytes, not a problem document.
      const raw: FastifyReply = reply;
      void raw.status(outcome.status).headers({
        'content-type': outcome.contentType ?? 'application/octet-stream',
        'content-disposition': disposition(null),
        'cache-control': 'private, no-store',
        'accept-ranges': 'bytes',
        ...(outcome.length === null ? {} : { 'content-length': String(outcome.length) }),
        ...(outcome.contentRange ? { 'content-range': outcome.contentRange } : {}),
      });
      return raw.send(outcome.body);
    },
  });
}
