import { type FastifyReply, type FastifyRequest } from 'fastify';
import { requireAuth } from '../core/hooks';
import { type Account } from '../core/types';
import { rateLimitError } from './errors';
import { type Limiters } from './rateLimit';

/**
 * The caller's account once the request is authenticated and within HubSpot's general (ten-secondly) limit, whose
 * headers every answer carries (docs/providers/hubspot.md#rate-limits); over the limit the 429 is sent and the
 * route returns the reply.
 */
export function admitGeneral(
  request: FastifyRequest,
  reply: FastifyReply,
  limiters: Limiters,
): Account | undefined {
  const { account } = requireAuth(request);
  const rate = limiters.general(account.id);
  void reply.headers(rate.headers);
  if (rate.allowed) return account;
  void reply.code(429).send(rateLimitError('TEN_SECONDLY_ROLLING'));
  return undefined;
}
