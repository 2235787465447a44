import type { ServiceToken } from '@crm-sync/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './httpErrors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated calling service, set by `authenticateService`. */
    service?: { name: string; tenants: '*' | string[] };
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer authentication for CRM services. Secrets are compared as SHA-256 digests with timingSafeEqual, so
 * neither the secret's content nor its length shows in response timing.
 */
export function serviceAuthenticator(tokens: ServiceToken[]) {
  const known = tokens.map((t) => ({ ...t, digest: digest(t.secret) }));
  return async function authenticateService(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    const given = match ? digest(match[1]!) : undefined;
    const service = given && known.find((t) => timingSafeEqual(t.digest, given));
    if (!service) {
      request.log.warn({ hasAuthorization: Boolean(header) }, 'service authentication failed');
      throw new HttpError(401, 'unauthorized', 'a valid service bearer token is required');
    }
    request.service = { name: service.name, tenants: service.tenants };
  };
}

/** Refuses a tenant the calling service was not granted. */
export function requireTenant(request: FastifyRequest, tenantId: string): void {
  const tenants = request.service?.tenants;
  if (tenants === '*' || tenants?.includes(tenantId)) return;
  throw new HttpError(403, 'forbidden_tenant', 'this service may not act for that tenant');
}
