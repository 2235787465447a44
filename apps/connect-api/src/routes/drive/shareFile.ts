import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { bodyErrors, problemResponse, serviceErrors, tenantId } from '../schemas';
import { driveConnection, driveHttpError } from './driveConnection';
import { fileId } from './registerFiles';

const schema = {
  summary: 'Share a selected Drive file with an address (Drive permissions.create)',
  tags: ['connections'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid(), fileId }),
  body: z.strictObject({
    tenantId,
    emailAddress: z.email().max(320),
    role: z.enum(['reader', 'commenter', 'writer']).default('reader'),
  }),
  response: {
    201: z.object({ permissionId: z.string() }),
    ...serviceErrors,
    404: problemResponse(
      'No such connection (`not_found`), a file the user did not select (`not_selected`) or one Drive no longer serves (`gone_at_provider`)',
    ),
    409: problemResponse(
      'The connection is not active, or has no Drive access (`connection_inactive`, `files_unsupported`)',
    ),
    429: problemResponse('Drive asks to slow down (code `provider_rate_limited`)'),
    502: problemResponse('Drive could not answer (code `provider_unavailable`)'),
    ...bodyErrors,
  },
};

/**
 * `POST /v1/connections/{id}/files/{fileId}/permissions`: gives an address access to a file the user selected
 * (docs/drive.md#share). A file not selected is refused before the call reaches Google.
 */
export function registerShareDriveFile(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/connections/:id/files/:fileId/permissions', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      const { tenantId: tenant, emailAddress, role } = request.body;
      requireTenant(request, tenant);
      const drive = await driveConnection(ctx, tenant, request.params.id, request.params.fileId);
      let shared;
      try {
        shared = await drive.withToken((accessToken) =>
          drive.writer.share({ accessToken, fileId: request.params.fileId, emailAddress, role }),
        );
      } catch (error) {
        throw driveHttpError(error);
      }
      if (shared.kind === 'not_found')
        throw new HttpError(404, 'gone_at_provider', 'Drive no longer lets the app use this file');
      return reply.status(201).send({ permissionId: shared.permissionId });
    },
  });
}
