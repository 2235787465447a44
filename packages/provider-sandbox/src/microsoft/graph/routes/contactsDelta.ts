import { type FastifyInstance } from 'fastify';
import { type ResourceGenerator, type RouteMeta, type SandboxContext } from '../../../core/types';
import { deltaHandler, optionsQuery } from '../deltaRoute';
import { CONTACTS_FOLDER_ID, type ContactData } from '../generate';
import { sendGraphError } from '../reply';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'graph.contacts.delta', auth: true, quotaUnits: 1 };

/**
 * Contacts delta of the default folder, under both paths clients use: the documented
 * `/me/contactFolders/{id}/contacts/delta` and the widely used `/me/contacts/delta`.
 */
export function registerContactsDelta(
  app: FastifyInstance,
  ctx: SandboxContext,
  generator: ResourceGenerator<ContactData>,
): void {
  const handler = deltaHandler(ctx, {
    generator,
    entity: 'contact',
    scope: 'contacts:default',
    initialQuery: optionsQuery({
      resource: 'Contacts',
      select: true,
      top: true,
      receivedDateTime: false,
      filterCap: 0,
    }),
    inScope: () => true,
  });
  app.get('/v1.0/me/contacts/delta', { config: { sandbox: meta } }, handler);
  app.get<{ Params: { folderId: string } }>(
    '/v1.0/me/contactFolders/:folderId/contacts/delta',
    { config: { sandbox: meta } },
    async (request, reply) => {
      if (request.params.folderId !== CONTACTS_FOLDER_ID)
        return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      return handler(request, reply);
    },
  );
}
