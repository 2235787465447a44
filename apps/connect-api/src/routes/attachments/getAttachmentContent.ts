import { attachmentContent } from '@crm-sync/connections';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse, serviceErrors, tenantId, text } from '../schemas';
import { decideRange, sliceStream } from './byteRange';

// Ids as the rows hold them: provider ids are opaque (Graph's are long base64), but never longer than a row key and
// never hold a control character (a NUL reached Postgres, which refuses it in text, as a 500: found by apiFuzz).
const id = text(1024);

const schema = {
  summary: "An email attachment's content, read from the provider now (never stored): the raw bytes",
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid(), emailId: id, attachmentId: id }),
  querystring: z.strictObject({ tenantId }),
  // Other headers pass; these two are read as RFC 9110 says (byteRange.ts). Any value is accepted: one that does
  // not parse means "the whole file", not an error.
  headers: z.looseObject({ range: z.string().optional(), 'if-range': z.string().optional() }),
  response: {
    ...serviceErrors,
    404: problemResponse(
      'No such connection, email or attachment for the tenant (code `not_found`), or the provider no longer has it (code `gone_at_provider`)',
    ),
    409: problemResponse(
      'The connection is not active (code `connection_inactive`, `provider_not_configured`)',
    ),
    413: problemResponse('The file is larger than ATTACHMENT_MAX_BYTES (code `too_large`)'),
    416: problemResponse(
      'The `Range` starts past the end of the file (code `range_not_satisfiable`; `Content-Range: bytes */<length>`)',
    ),
    429: problemResponse('The provider asks to slow down (code `provider_rate_limited`; see Retry-After)'),
    502: problemResponse('The provider could not serve the file (code `provider_unavailable`)'),
  },
};

/**
 * `GET /v1/connections/{id}/emails/{emailId}/attachments/{attachmentId}/content`: streams the bytes as the provider
 * sends them (Graph) or as decoded once (Gmail, whose API answers base64 in JSON), cut off at ATTACHMENT_MAX_BYTES
 * whatever the stored size said. Always `Content-Disposition: attachment`, so a browser never renders a mailed
 * HTML file on this origin. One byte range (`Range: bytes=…`) is answered 206 with `Content-Range` when the provider
 * states the file's length (byteRange.ts says when the whole file is sent instead); 416 when it starts past the end.
 */
export function registerGetAttachmentContent(app: FastifyInstance, ctx: AppContext): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/v1/connections/:id/emails/:emailId/attachments/:attachmentId/content', {
      schema,
      onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
      handler: async (request, reply) => {
        requireTenant(request, request.query.tenantId);
        const upstream = new AbortController();
        reply.raw.on('close', () => upstream.abort());
        const maxBytes = ctx.settings.attachmentMaxBytes;
        const outcome = await attachmentContent(
          { ...ctx.deps, tokens: ctx.tokens },
          {
            tenantId: request.query.tenantId,
            connectionId: request.params.id,
            emailId: request.params.emailId,
            attachmentId: request.params.attachmentId,
            maxBytes,
            signal: AbortSignal.any([
              upstream.signal,
              AbortSignal.timeout(ctx.settings.proxyUpstreamTimeoutMs),
            ]),
          },
        );
        if (outcome.kind === 'refused') {
          if (outcome.retryAfterMs !== undefined)
            void reply.header('retry-after', String(Math.ceil(outcome.retryAfterMs / 1000)));
          throw new HttpError(outcome.status, outcome.code, outcome.detail);
        }
        const source = Readable.fromWeb(outcome.body as NodeReadableStream);
        const range = decideRange(request.headers.range, request.headers['if-range'], outcome.length);
        if (range.kind === 'unsatisfiable') {
          source.destroy();
          void reply.header('content-range', `bytes */${outcome.length}`);
          throw new HttpError(416, 'range_not_satisfiable', 'the range starts past the end of the file');
        }
        const headers = {
          'content-type': outcome.file.contentType ?? 'application/octet-stream',
          'content-disposition': disposition(outcome.file.name),
          'cache-control': 'private, no-store',
          ...(outcome.length === null ? {} : { 'accept-ranges': 'bytes' }),
        };
        const raw: FastifyReply = reply;
        if (range.kind === 'full') {
          return raw
            .status(200)
            .headers(headers)
            .send(source.pipe(capped(maxBytes)));
        }
        const slice = sliceStream(range.start, range.end);
        // The range is out: stop reading the rest of the file from the provider.
        slice.once('end', () => source.destroy());
        return raw
          .status(206)
          .headers({
            ...headers,
            'content-range': `bytes ${range.start}-${range.end}/${outcome.length}`,
            'content-length': String(range.end - range.start + 1),
          })
          .send(source.pipe(capped(maxBytes)).pipe(slice));
      },
    });
}

/** Passes at most `maxBytes` on; more fails the stream, which cuts the response short rather than exceed the cap. */
function capped(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > maxBytes ? new Error('attachment exceeds the size cap') : null, chunk);
    },
  });
}

/** RFC 6266 §4.3: an ASCII fallback `filename` and the exact name as RFC 8187 `filename*`. */
export function disposition(name: string | null): string {
  if (!name) return 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
