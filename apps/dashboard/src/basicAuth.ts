import type { Credential } from '@crm-sync/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoginThrottle } from './loginThrottle';

const digest = (value: string) => createHash('sha256').update(value).digest();

export type Role = 'operator' | 'admin';

const REALMS: Record<Role, string> = { operator: 'crm-sync operators', admin: 'crm-sync admins' };

export interface DashboardCredentials {
  operator: Credential;
  admin: Credential | undefined;
}

/** Whose credentials a request carries: a role, `wrong` ones, or `none`. */
function identify(
  request: FastifyRequest,
  known: Array<{ role: Role; digest: Buffer }>,
): Role | 'wrong' | 'none' {
  const header = request.headers.authorization;
  if (!header) return 'none';
  const match = header.match(/^Basic\s+([A-Za-z0-9+/=]+)$/i);
  const given = match ? digest(Buffer.from(match[1]!, 'base64').toString('utf8')) : undefined;
  // Every credential is compared, so timing does not show which one (if any) matched.
  let role: Role | undefined;
  for (const entry of known) if (given && timingSafeEqual(entry.digest, given)) role = entry.role;
  return role ?? 'wrong';
}

/**
 * HTTP Basic authentication for the dashboard, requiring `role` (an admin may do what an operator may). User and
 * password are compared as one SHA-256 digest with timingSafeEqual, so neither their content nor their length
 * shows in response timing; the browser's login prompt comes from the WWW-Authenticate challenge. Wrong
 * credentials count against the client's login throttle; a client over it is answered 429.
 */
export function basicAuth(credentials: DashboardCredentials, role: Role, throttle: LoginThrottle) {
  const known = [
    {
      role: 'operator' as const,
      digest: digest(`${credentials.operator.user}:${credentials.operator.password}`),
    },
    ...(credentials.admin
      ? [
          {
            role: 'admin' as const,
            digest: digest(`${credentials.admin.user}:${credentials.admin.password}`),
          },
        ]
      : []),
  ];
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const retryAfter = await throttle.blockedFor(request.ip);
    if (retryAfter > 0) {
      request.log.warn('dashboard login throttled');
      await reply
        .status(429)
        .header('retry-after', String(retryAfter))
        .send({ error: { code: 'rate_limited', message: 'too many failed logins, retry later' } });
      return;
    }
    const who = identify(request, known);
    if (who === role || who === 'admin') return;
    // The operator's own (right) credential on the admin board is no failed login; its own realm makes the
    // browser ask for the admin credential instead of resending the operator's.
    if (who === 'wrong') await throttle.recordFailure(request.ip);
    request.log.warn({ hasAuthorization: who !== 'none', required: role }, 'dashboard login refused');
    await reply
      .status(401)
      .header('www-authenticate', `Basic realm="${REALMS[role]}", charset="UTF-8"`)
      .send({ error: { code: 'unauthorized', message: `${role} credentials required` } });
  };
}
