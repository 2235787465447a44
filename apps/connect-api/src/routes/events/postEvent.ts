import { acceptEvent } from '@crm-sync/connections';
import { connectionEventSchema } from '@crm-sync/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { accepted, bodyErrors, problemResponse, serviceErrors } from '../schemas';

/** A control character or a lone surrogate: Postgres `jsonb` refuses NUL, and none belongs in an event. */
const NOT_TEXT = /[\p{Cc}\p{Cs}]/u;

const schema = {
  summary: 'Send a connection event (the connection-events contract of docs/asyncapi.yaml) over HTTP',
  description:
    'The same events a CRM service may put on the `connection-events` queue, validated by the same schema. ' +
    'An event naming a connection must name one of its tenant. The event is recorded before the answer, so a ' +
    '202 is never lost; resending the same `eventId` while it waits records it once.',
  tags: ['events'],
  security: [{ service: [] }],
  body: connectionEventSchema.refine(
    (event) => !Object.values(event).some((v) => typeof v === 'string' && NOT_TEXT.test(v)),
    'strings must be text without control characters',
  ),
  response: {
    202: accepted,
    ...serviceErrors,
    404: problemResponse('The event names no connection of that tenant (code `not_found`)'),
    ...bodyErrors,
  },
};

export function registerPostEvent(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/events', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      requireTenant(request, request.body.tenantId);
      const outcome = await acceptEvent(ctx.deps.db, request.body);
      if (outcome.kind === 'not_found') throw new HttpError(404, 'not_found', 'no such connection');
      request.log.info({ type: request.body.type, eventId: outcome.eventId }, 'event accepted');
      return reply.status(202).send({ eventId: outcome.eventId });
    },
  });
}
