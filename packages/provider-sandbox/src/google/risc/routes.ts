import { type FastifyInstance } from 'fastify';
import { type SandboxContext } from '../../core/types';
import { type KeyPairs } from './keys';

/** The issuer Google's RISC configuration document names and its tokens carry (docs/providers/notices.md). */
export const RISC_ISSUER = 'https://accounts.google.com/';

/**
 * Google's RISC configuration document (https://accounts.google.com/.well-known/risc-configuration) and the key set
 * it points to, served by the sandbox: the receiver discovers the issuer and keys exactly as it does at Google.
 */
export function registerRiscDiscovery(app: FastifyInstance, ctx: SandboxContext, keys: KeyPairs): void {
  const open = (routeId: string) => ({
    config: { sandbox: { provider: 'google' as const, routeId, auth: false } },
  });
  app.get('/.well-known/risc-configuration', open('risc.configuration'), async () => ({
    issuer: RISC_ISSUER,
    jwks_uri: `${ctx.urls.google}/risc/jwks`,
    delivery_methods_supported: ['https://schemas.openid.net/secevent/risc/delivery-method/push'],
  }));
  app.get('/risc/jwks', open('risc.jwks'), async () => ({ keys: [(await keys()).published.publicJwk] }));
}
