import { type FastifyInstance } from 'fastify';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError, sendApiError } from '../errors';
import { admitGeneral } from '../admit';
import { type Limiters } from '../rateLimit';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'crm.notes.create', auth: true };
/** `hs_note_body` is limited to 65,536 characters (docs/providers/hubspot.md#notes). */
const MAX_BODY_CHARS = 65_536;
/** Where created note ids start, apart from the generated object types' ranges (schema.ts). */
const NOTE_ID_BASE = 9_000_000;

interface NoteBody {
  properties?: Record<string, unknown>;
  associations?: unknown;
}

/** `hs_timestamp` as HubSpot takes it: Unix milliseconds or a UTC date-time. */
const validTimestamp = (value: unknown) =>
  typeof value === 'string' && (/^\d{1,15}$/.test(value) || !Number.isNaN(Date.parse(value)));

/**
 * `POST /crm/v3/objects/notes` `{properties: {hs_timestamp, hs_note_body?, …}, associations?}` → 201 with the note
 * (`id`, `properties`, `createdAt`, `updatedAt`, `archived: false`); `hs_timestamp` is required
 * (docs/providers/hubspot.md#notes). Notes are kept per account for the sandbox's life and are not part of the
 * synced object types. The 400 wording for a missing or bad `hs_timestamp` is _unconfirmed_.
 */
export function registerCreateNote(app: FastifyInstance, ctx: SandboxContext, limiters: Limiters): void {
  const created = new Map<string, number>();
  app.post<{ Body: NoteBody | undefined }>(
    '/crm/v3/objects/notes',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const account = admitGeneral(request, reply, limiters);
      if (!account) return reply;
      const properties = request.body?.properties;
      if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
        return sendApiError(reply, 400, apiError('properties is required', 'VALIDATION_ERROR'));
      }
      if (!validTimestamp(properties.hs_timestamp)) {
        const message = 'Property values were not valid: hs_timestamp is required (Unix ms or UTC date-time)';
        return sendApiError(reply, 400, apiError(message, 'VALIDATION_ERROR'));
      }
      const body = properties.hs_note_body;
      if (body !== undefined && (typeof body !== 'string' || body.length > MAX_BODY_CHARS)) {
        const message = `Property values were not valid: hs_note_body must be text of at most ${MAX_BODY_CHARS} characters`;
        return sendApiError(reply, 400, apiError(message, 'VALIDATION_ERROR'));
      }
      const count = (created.get(account.id) ?? 0) + 1;
      created.set(account.id, count);
      const now = new Date(ctx.clock.now()).toISOString();
      // Property values come back as strings, as in every CRM object body (docs/providers/hubspot.md#notes).
      const stored = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)]));
      return reply.code(201).send({
        id: String(NOTE_ID_BASE + count),
        properties: stored,
        createdAt: now,
        updatedAt: now,
        archived: false,
      });
    },
  );
}
