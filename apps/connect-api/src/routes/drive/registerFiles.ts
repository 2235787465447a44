import { type DriveFileRecord } from '@crm-sync/core';
import { storeSelected } from '@crm-sync/sync-engine';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { driveHttpError } from './driveConnection';
import { bodyErrors, problemResponse, serviceErrors, tenantId, text } from '../schemas';

/** Drive file ids are opaque URL-safe strings; anything else cannot be one and is refused before Google. */
export const fileId = text(256).regex(/^[A-Za-z0-9_-]+$/, 'must be a Drive file id');

export const fileView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  mimeType: z.string(),
  size: z.number().nullable(),
  owners: z.array(z.string()),
  modifiedTime: z.string().nullable(),
  webViewLink: z.string().nullable(),
});

const schema = {
  summary:
    'Register Drive files the user picked (Google Picker ids): validated at Drive, their metadata stored',
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  body: z.strictObject({ tenantId, fileIds: z.array(fileId).min(1).max(100) }),
  response: {
    200: z.object({ files: z.array(fileView) }),
    ...serviceErrors,
    404: problemResponse('No such connection for the tenant (code `not_found`)'),
    409: problemResponse(
      'The connection is not active, or has no Drive access (`connection_inactive`, `files_unsupported`)',
    ),
    422: problemResponse(
      'Drive does not let the app read some of the ids (code `not_accessible`); nothing was stored',
    ),
    429: problemResponse('Drive asks to slow down (code `provider_rate_limited`)'),
    502: problemResponse('Drive could not answer (code `provider_unavailable`)'),
    ...bodyErrors,
  },
};

export const view = (file: DriveFileRecord) => ({
  id: file.externalId,
  name: file.name,
  mimeType: file.mimeType,
  size: file.size,
  owners: file.ownerEmails,
  modifiedTime: file.modifiedAt?.toISOString() ?? null,
  webViewLink: file.webViewLink,
});

/**
 * `POST /v1/connections/{id}/files`: the ids the CRM's front end got from the Google Picker. Each is fetched once
 * from Drive (files.get, which under `drive.file` answers only for files the user picked for the app or the app
 * created) and stored through the sync's write path; from then on the changes feed keeps it in step
 * (docs/drive.md#selecting-files). All or nothing: one id Drive refuses and nothing is stored.
 */
export function registerRegisterDriveFiles(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/connections/:id/files', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      const { tenantId, fileIds } = request.body;
      requireTenant(request, tenantId);
      const connectionId = request.params.id;
      let outcome;
      try {
        outcome = await storeSelected(ctx.deps, {
          connectionId,
          tenantId,
          resource: 'files',
          ids: [...new Set(fileIds)],
          accessToken: async (adapter) => (await ctx.tokens.current(connectionId, adapter.oauth)).accessToken,
        });
      } catch (error) {
        throw driveHttpError(error);
      }
      if (outcome.kind === 'not_found') throw new HttpError(404, 'not_found', 'no such connection');
      if (outcome.kind === 'inactive')
        throw new HttpError(
          409,
          'connection_inactive',
          'the connection is not active; the user must reconnect',
        );
      if (outcome.kind === 'unsupported')
        throw new HttpError(409, 'files_unsupported', 'this connection has no Drive files resource');
      if (outcome.kind === 'not_accessible')
        throw new HttpError(
          422,
          'not_accessible',
          `Drive does not let the app read: ${outcome.ids.join(', ')}`,
        );
      return reply.send({ files: (outcome.records as DriveFileRecord[]).map(view) });
    },
  });
}
