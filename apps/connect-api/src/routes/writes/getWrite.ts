import { WRITE_OPS, WRITE_RESOURCES, WRITE_STATUSES } from '@crm-sync/core';
import { getWrite } from '@crm-sync/writes';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse, serviceErrors } from '../schemas';

const writeView = z.object({
  id: z.uuid(),
  connectionId: z.uuid(),
  resource: z.enum(WRITE_RESOURCES),
  op: z.enum(WRITE_OPS),
  status: z.enum(WRITE_STATUSES),
  externalId: z.string().nullable(),
  version: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** A write's state and outcome (docs/write-back.md); another tenant's write is 404 like an unknown id. */
export function registerGetWrite(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/writes/:id', {
    schema: {
      summary: 'A write-back request: pending, applied, conflict or refused',
      tags: ['writes'],
      security: [{ service: [] }],
      params: z.object({ id: z.uuid() }),
      response: {
        200: writeView,
        ...serviceErrors,
        404: problemResponse('No such write (code `not_found`)'),
      },
    },
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request) => {
      const view = await getWrite(ctx.deps.db, request.service?.tenants ?? [], request.params.id);
      if (!view) throw new HttpError(404, 'not_found', 'no such write');
      return view;
    },
  });
}
