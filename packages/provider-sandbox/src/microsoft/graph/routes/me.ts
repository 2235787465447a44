import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../../core/hooks';
import { mix, pick } from '../../../core/random';
import { type Account, type RouteMeta, type SandboxContext } from '../../../core/types';
import { parseSelect, project } from '../select';
import { type GraphUser } from '../types';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'graph.me.get', auth: true, quotaUnits: 1 };

const TITLES = ['Account Executive', 'Sales Manager', 'Customer Success Lead', null] as const;

export function userOf(account: Account): GraphUser {
  const local = account.email.split('@')[0] ?? account.email;
  const [given = local, family = ''] = local.split(/[._-]/);
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return {
    id: account.id,
    displayName: `${cap(given)} ${cap(family)}`.trim(),
    givenName: cap(given),
    surname: cap(family),
    mail: account.email,
    userPrincipalName: account.email,
    jobTitle: pick(TITLES, mix(account.seed, 11)),
    officeLocation: null,
    preferredLanguage: 'en-US',
    businessPhones: [],
    mobilePhone: null,
  };
}

/** `GET /v1.0/me`: the signed-in user; crm-sync reads the account id and address from it. */
export function registerMe(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Querystring: { $select?: string } }>(
    '/v1.0/me',
    { config: { sandbox: meta } },
    async (request) => ({
      '@odata.context': `${ctx.urls.microsoft}/v1.0/$metadata#users/$entity`,
      ...project(userOf(requireAuth(request).account), parseSelect(request.query.$select)),
    }),
  );
}
