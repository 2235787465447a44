import {
  ConnectionNotFoundError,
  ContentReader,
  ContentShreddedError,
  InvalidCursorError,
  InvalidFilterError,
  KINDS,
  MAX_PAGE_SIZE,
  SealedContentError,
  type Kind,
} from '@crm-sync/reader';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { problemResponse, serviceErrors, tenantId, text } from '../schemas';
import { itemView, pageView } from './views';

const instant = z.iso.datetime({ offset: true });

const querystring = z.strictObject({
  tenantId,
  cursor: z
    .string()
    .min(1)
    .max(1000)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  changedSince: instant.optional(),
  address: text(320).optional(),
  messageId: text(998).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
});

const SUMMARIES: Record<Kind, string> = {
  emails: "A connection's synced mail, decrypted (time range: sent)",
  events: "A connection's synced calendar events, decrypted (time range: overlapping)",
  contacts: "A connection's synced contacts, decrypted (no time range)",
  objects: "A connection's synced HubSpot objects, decrypted (time range: updated at HubSpot)",
  tasks: "A connection's synced tasks, decrypted (time range: due; no address filter)",
};

/**
 * `GET /v1/connections/{id}/emails|events|contacts|objects|tasks` (docs/read-api.md): @crm-sync/reader behind the
 * service authentication and tenant grants of the other service routes. Keyset pages with an opaque cursor;
 * `changedSince` makes the read a change feed that serves deletions too. Never cached (`no-store`): the bodies are
 * the users' mail.
 */
export function registerReadContent(app: FastifyInstance, ctx: AppContext): void {
  const reader = new ContentReader({ db: ctx.deps.db, keys: ctx.deps.content });
  for (const kind of KINDS) {
    app.withTypeProvider<ZodTypeProvider>().get(`/v1/connections/:id/${kind}`, {
      schema: {
        summary: SUMMARIES[kind],
        tags: ['content'],
        security: [{ service: [] }],
        params: z.object({ id: z.uuid() }),
        querystring,
        response: {
          200: pageView(kind),
          ...serviceErrors,
          404: problemResponse('No such connection for the tenant (code `not_found`)'),
          410: problemResponse("The connection's content was shredded (code `content_shredded`)"),
          500: problemResponse('A sealed row failed authentication (code `sealed_content_refused`)'),
        },
      },
      onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
      handler: async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        const { tenantId: tenant, cursor, changedSince, address, messageId, from, to, limit } = request.query;
        requireTenant(request, tenant);
        const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));
        try {
          const page = await reader.read(kind, {
            tenantId: tenant,
            connectionId: request.params.id,
            ...(cursor !== undefined && { cursor }),
            ...(changedSince !== undefined && { changedSince: date(changedSince) }),
            ...(address !== undefined && { address }),
            ...(messageId !== undefined && { messageId }),
            ...(from !== undefined && { from: date(from) }),
            ...(to !== undefined && { to: date(to) }),
            limit,
          });
          return { ...page, items: page.items.map(itemView) } as never;
        } catch (error) {
          throw httpError(error);
        }
      },
    });
  }
}

function httpError(error: unknown): unknown {
  if (error instanceof ConnectionNotFoundError) return new HttpError(404, 'not_found', 'no such connection');
  if (error instanceof ContentShreddedError)
    return new HttpError(410, 'content_shredded', "the connection's content was shredded and cannot be read");
  if (error instanceof InvalidCursorError) return new HttpError(400, 'invalid_cursor', error.message);
  if (error instanceof InvalidFilterError) return new HttpError(400, 'invalid_filter', error.message);
  if (error instanceof SealedContentError)
    return new HttpError(500, 'sealed_content_refused', 'a stored row failed authentication');
  return error;
}
