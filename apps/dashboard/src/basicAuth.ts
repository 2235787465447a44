import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * HTTP Basic authentication for operators. Both user and password are compared as SHA-256 digests with
 * timingSafeEqual, so neither their content nor their length shows in response timing; the browser's login
 * prompt comes from the WWW-Authenticate challenge.
 */
export function basicAuth(credentials: { user: string; password: string }) {
  const expected = digest(`${credentials.user}:${credentials.password}`);
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const match = request.headers.authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)$/i);
    const given = match ? digest(Buffer.from(match[1]!, 'base64').toString('utf8')) : undefined;
    if (given && timingSafeEqual(given, expected)) return;
    request.log.warn({ hasAuthorization: Boolean(request.headers.authorization) }, 'dashboard login refused');
    await reply
      .status(401)
      .header('www-authenticate', 'Basic realm="crm-sync operators", charset="UTF-8"')
      .send({ error: { code: 'unauthorized', message: 'operator credentials required' } });
  };
}
