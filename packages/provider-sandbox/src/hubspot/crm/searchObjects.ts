import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../core/hooks';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError, rateLimitError, sendApiError } from '../errors';
import { type HubSpotGenerators } from '../generate';
import { type Limiters } from '../rateLimit';
import { objectType } from '../schema';
import { parseSearch, runSearch, type SearchOptions } from './search';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'crm.objects.search', auth: true };

/**
 * `POST /crm/v3/objects/{type}/search`: its own per-second limiter, no rate-limit headers,
 * sealed `after` values and the 10,000-result cap (docs/providers/hubspot.md#search-limits).
 */
export function registerSearchObjects(
  app: FastifyInstance,
  ctx: SandboxContext,
  generators: HubSpotGenerators,
  limiters: Limiters,
  options: SearchOptions,
): void {
  app.post<{ Params: { objectType: string } }>(
    '/crm/v3/objects/:objectType/search',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      if (!limiters.search(account.id).allowed) return reply.code(429).send(rateLimitError('SECONDLY'));
      const type = objectType(request.params.objectType);
      if (type === undefined)
        return sendApiError(
          reply,
          400,
          apiError(`Unable to infer object type from: ${request.params.objectType}`, 'VALIDATION_ERROR'),
        );
      const search = parseSearch(request.body);
      if (typeof search === 'string') return sendApiError(reply, 400, apiError(search, 'VALIDATION_ERROR'));
      const result = runSearch(type, ctx.datasets.open(account, generators[type]), search, options);
      if (typeof result === 'string') return sendApiError(reply, 400, apiError(result, 'VALIDATION_ERROR'));
      return result;
    },
  );
}
