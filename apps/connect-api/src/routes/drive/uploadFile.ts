import { type DriveFileRecord } from '@crm-sync/core';
import { storeSelected } from '@crm-sync/sync-engine';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse, serviceErrors, tenantId, text } from '../schemas';
import { driveConnection, driveHttpError } from './driveConnection';
import { fileView, view } from './registerFiles';

const schema = {
  summary: "Upload a file to the user's Drive (resumable, resumed after a fault); it becomes a selected file",
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  querystring: z.strictObject({
    tenantId,
    name: text(1024),
    mimeType: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type')
      .max(255),
  }),
  headers: z.looseObject({ 'content-length': z.coerce.number().int().nonnegative() }),
  response: {
    201: z.object({ file: fileView, resumes: z.number().int() }),
    ...serviceErrors,
    404: problemResponse('No such connection for the tenant (code `not_found`)'),
    409: problemResponse(
      'The connection is not active, or has no Drive access (`connection_inactive`, `files_unsupported`)',
    ),
    413: problemResponse('The file is larger than DRIVE_UPLOAD_MAX_BYTES (code `too_large`)'),
    415: problemResponse('Body not sent as application/octet-stream (code `unsupported_media_type`)'),
    429: problemResponse('Drive asks to slow down (code `provider_rate_limited`)'),
    502: problemResponse('Drive could not take the file (code `provider_unavailable`)'),
  },
};

/**
 * `POST /v1/connections/{id}/files/upload?name=…&mimeType=…` with the bytes as `application/octet-stream` and a
 * Content-Length: streamed on to Drive in resumable chunks (docs/drive.md#upload), so memory holds about one chunk
 * whatever the size; a fault mid-way is resumed from what Drive confirms. The new file is registered as selected.
 */
export function registerUploadDriveFile(app: FastifyInstance, ctx: AppContext): void {
  void app.register(async (scoped) => {
    // The body is read as it arrives (the route pipes it on), never buffered by a parser.
    scoped.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
    scoped.withTypeProvider<ZodTypeProvider>().post('/v1/connections/:id/files/upload', {
      schema,
      onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
      handler: async (request, reply) => {
        const { tenantId: tenant, name, mimeType } = request.query;
        requireTenant(request, tenant);
        const size = request.headers['content-length'];
        if (size > ctx.settings.driveUploadMaxBytes)
          throw new HttpError(
            413,
            'too_large',
            `the file is larger than ${ctx.settings.driveUploadMaxBytes} bytes`,
          );
        if (request.headers['content-type']?.split(';')[0]?.trim() !== 'application/octet-stream')
          throw new HttpError(415, 'unsupported_media_type', 'send the file as application/octet-stream');
        const connectionId = request.params.id;
        const drive = await driveConnection(ctx, tenant, connectionId);
        const upstream = new AbortController();
        request.raw.on('close', () => {
          if (!request.raw.complete) upstream.abort();
        });
        try {
          const { fileId, resumes } = await drive.writer.upload({
            accessToken: await drive.accessToken(),
            renewToken: drive.renewToken,
            name,
            mimeType,
            size,
            body: request.body as Readable,
            signal: upstream.signal,
          });
          const stored = await storeSelected(ctx.deps, {
            connectionId,
            tenantId: tenant,
            resource: 'files',
            ids: [fileId],
            accessToken: drive.accessToken,
          });
          if (stored.kind !== 'stored')
            throw new HttpError(502, 'provider_unavailable', 'Drive lost the new file');
          return reply.status(201).send({ file: view(stored.records[0] as DriveFileRecord), resumes });
        } catch (error) {
          throw driveHttpError(error);
        }
      },
    });
  });
}
