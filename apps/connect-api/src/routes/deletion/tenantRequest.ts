import { deletionRequestOf, type DeletionRequestRow } from '@crm-sync/connections';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant } from '../../plugins/serviceAuth';
import { problemResponse, serviceErrors, tenantId } from '../schemas';

/** The request parts and errors every route that reads one deletion request shares. */
export const tenantRequestSchema = {
  tags: ['deletion'],
  security: [{ service: [] }],
  params: z.object({ id: z.uuid() }),
  querystring: z.strictObject({ tenantId }),
};

export const tenantRequestErrors = {
  ...serviceErrors,
  404: problemResponse('No such deletion request for the tenant (code `not_found`)'),
};

/** The deletion request named in the path, if the calling service may act for its tenant; 404 otherwise. */
export async function tenantDeletionRequest(
  ctx: AppContext,
  request: FastifyRequest<{ Params: { id: string }; Querystring: { tenantId: string } }>,
): Promise<DeletionRequestRow> {
  const { tenantId } = request.query;
  requireTenant(request, tenantId);
  const found = await deletionRequestOf(ctx.deps.db, tenantId, request.params.id);
  if (!found) throw new HttpError(404, 'not_found', 'no such deletion request');
  return found;
}
