import type { BrokerCaller, BrokerRefusal } from '@crm-sync/connections';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context';
import { HttpError } from './httpErrors';

/** The authenticated service (serviceAuth ran first) with its token broker policy, if it has one. */
export function brokerCaller(request: FastifyRequest, ctx: AppContext): BrokerCaller {
  const service = request.service;
  if (!service) throw new HttpError(401, 'unauthorized', 'a valid service bearer token is required');
  return {
    service: service.name,
    tenants: service.tenants,
    policy: ctx.settings.servicePolicies.get(service.name),
  };
}

/** A broker refusal as the problem document the API answers. */
export const refusalError = (refused: BrokerRefusal) =>
  new HttpError(refused.status, refused.code, refused.detail);
