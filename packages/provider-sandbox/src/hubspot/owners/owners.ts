import { type FastifyInstance } from 'fastify';
import { openCursor, sealCursor } from '../../core/cursors';
import { mix, pick } from '../../core/random';
import { type Account, type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError, sendApiError } from '../errors';
import { admitGeneral } from '../admit';
import { type Limiters } from '../rateLimit';

// `GET /crm/v3/owners` (docs/providers/hubspot.md#owners): the portal's users records can be assigned to. Records
// hold an owner's `id` in `hubspot_owner_id`; `userId` is the user's id, which never goes in that property.

const meta: RouteMeta = { provider: 'hubspot', routeId: 'crm.owners.list', auth: true };
/** Owners per generated portal: a small sales team. */
export const OWNER_COUNT = 6;
const MAX_LIMIT = 500;
const AFTER = 'hubspot.owners.after';
const FIRST = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Harper', 'Jordan'];
const LAST = ['Adler', 'Brooks', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Greco', 'Hale'];

/** The id of the account's n-th owner: what generated records carry in `hubspot_owner_id`. */
export function ownerId(account: Account, n: number): string {
  return String(40_000_000 + (mix(account.seed, 9_000 + n) % 9_000_000));
}

function owner(account: Account, n: number) {
  const firstName = pick(FIRST, mix(account.seed, 9_100 + n));
  const lastName = pick(LAST, mix(account.seed, 9_200 + n));
  const domain = account.email.split('@')[1] ?? 'example.com';
  const userId = 9_000_000 + (mix(account.seed, 9_300 + n) % 900_000);
  const at = new Date(account.createdAt - (OWNER_COUNT - n) * 86_400_000).toISOString();
  return {
    id: ownerId(account, n),
    email: `${firstName}.${lastName}.${n}@${domain}`.toLowerCase(),
    type: 'PERSON',
    firstName,
    lastName,
    userId,
    userIdIncludingInactive: userId,
    createdAt: at,
    updatedAt: at,
    archived: false,
    teams: [],
  };
}

type OwnersQuery = { limit?: string; after?: string; email?: string; archived?: string };

export function registerOwners(app: FastifyInstance, ctx: SandboxContext, limiters: Limiters): void {
  // The SDK asks for `/crm/v3/owners/` (trailing slash), the docs for `/crm/v3/owners`: both are served.
  for (const path of ['/crm/v3/owners', '/crm/v3/owners/']) registerOwnersAt(app, path, ctx, limiters);
}

function registerOwnersAt(app: FastifyInstance, path: string, ctx: SandboxContext, limiters: Limiters): void {
  app.get<{ Querystring: OwnersQuery }>(path, { config: { sandbox: meta } }, async (request, reply) => {
    const account = admitGeneral(request, reply, limiters);
    if (!account) return reply;
    const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      return sendApiError(
        reply,
        400,
        apiError(`limit must be between 1 and ${MAX_LIMIT}.`, 'VALIDATION_ERROR'),
      );
    let start = 0;
    if (request.query.after !== undefined) {
      const token = openCursor(AFTER, request.query.after) as { account?: string; next?: number } | undefined;
      if (token?.account !== account.id || !Number.isInteger(token.next))
        return sendApiError(
          reply,
          400,
          apiError(`Invalid paging cursor: ${request.query.after}`, 'VALIDATION_ERROR'),
        );
      start = token.next as number;
    }
    // No generated owner is archived, so `archived=true` lists none.
    const all =
      request.query.archived === 'true'
        ? []
        : Array.from({ length: OWNER_COUNT }, (_, n) => owner(account, n)).filter(
            (o) => request.query.email === undefined || o.email === request.query.email.toLowerCase(),
          );
    const results = all.slice(start, start + limit);
    if (start + limit >= all.length) return { results };
    const after = sealCursor(AFTER, { account: account.id, next: start + limit });
    return {
      results,
      paging: { next: { after, link: `${ctx.urls.hubspot}/crm/v3/owners?after=${after}` } },
    };
  });
}
