import { type FastifyInstance } from 'fastify';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError, sendApiError } from '../errors';
import { type HubSpotGenerators } from '../generate';
import { admitGeneral } from '../admit';
import { type Limiters } from '../rateLimit';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'crm.objects.gdprDelete', auth: true };

/**
 * `POST /crm/v3/objects/contacts/gdpr-delete` `{objectId, idProperty?}` → 204: the contact is gone for good, from
 * lists, search and the archived list alike (the control API's item DELETE does the same for any type, as the
 * purge of the recycle bin after 90 days would). HubSpot documents it for contacts only; an unknown email is
 * blocklisted and still answered 204 (docs/providers/hubspot.md#permanent-deletes).
 */
export function registerGdprDelete(
  app: FastifyInstance,
  ctx: SandboxContext,
  generators: HubSpotGenerators,
  limiters: Limiters,
): void {
  app.post<{ Params: { objectType: string } }>(
    '/crm/v3/objects/:objectType/gdpr-delete',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      if (request.params.objectType !== 'contacts') {
        const message = `GDPR delete is not supported for ${request.params.objectType}`;
        return sendApiError(reply, 404, apiError(message, 'OBJECT_NOT_FOUND'));
      }
      const body = (request.body ?? {}) as { objectId?: unknown; idProperty?: unknown };
      if (typeof body.objectId !== 'string' || body.objectId === '') {
        return sendApiError(reply, 400, apiError('objectId is required', 'VALIDATION_ERROR'));
      }
      const contacts = ctx.datasets.open(account, generators.contacts);
      if (body.idProperty === 'email') {
        const wanted = body.objectId.toLowerCase();
        const found = contacts.page({
          limit: 1,
          order: 'asc',
          filter: (item) => item.data.properties.email?.toLowerCase() === wanted,
        }).items[0];
        if (found !== undefined) contacts.delete(found.id);
        return reply.code(204).send();
      }
      if (!contacts.delete(body.objectId)) {
        return sendApiError(
          reply,
          404,
          apiError(`Object not found. objectId=${body.objectId}`, 'OBJECT_NOT_FOUND'),
        );
      }
      return reply.code(204).send();
    },
  );
}
