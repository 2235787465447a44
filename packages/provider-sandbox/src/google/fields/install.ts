import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { send } from '../../core/hooks';
import { googleError } from '../errors';
import { one } from '../params';
import { GOOGLE_RESPONSE_SCHEMAS } from './responseSchemas';
import { unknownField } from './schema';
import { applySelection, FieldsSyntaxError, parseFields, type Selection } from './selection';

/**
 * Google's answer to a `fields` value naming a field the response type lacks: "Invalid field selection <name>"
 * (docs/providers/google.md#partial-responses; reason and location _unconfirmed_).
 */
const invalidSelection = (detail: string) =>
  googleError(400, `Invalid field selection ${detail}`, {
    domain: 'global',
    reason: 'invalidParameter',
    location: 'fields',
    locationType: 'parameter',
  });

/**
 * Partial responses for every Google route with a response schema: `fields` is checked before the handler runs
 * (400 on an unknown field, nothing else happens) and applied to the successful JSON answer.
 */
export function installPartialResponses(app: FastifyInstance): void {
  const selections = new WeakMap<FastifyRequest, Selection>();

  app.addHook('preHandler', async (request, reply) => {
    const routeId = request.routeOptions.config.sandbox?.routeId;
    const schema = routeId === undefined ? undefined : GOOGLE_RESPONSE_SCHEMAS[routeId];
    const fields = one(request, 'fields');
    if (schema === undefined || fields === undefined) return;
    let selection: Selection;
    try {
      selection = parseFields(fields);
    } catch (error) {
      if (error instanceof FieldsSyntaxError) return send(reply, invalidSelection(fields));
      throw error;
    }
    const unknown = unknownField(selection, schema);
    if (unknown !== undefined) return send(reply, invalidSelection(unknown));
    selections.set(request, selection);
  });

  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    const selection = selections.get(request);
    if (selection === undefined || reply.statusCode >= 400) return payload;
    return applySelection(payload, selection);
  });
}
