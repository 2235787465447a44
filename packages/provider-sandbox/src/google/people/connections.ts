import { type FastifyInstance } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type SandboxContext } from '../../core/types';
import { peopleContacts } from '../data';
import { expiredSyncToken, googleError, insufficientScope, notFound } from '../errors';
import { CONTACTS_READ_SCOPES, hasAnyScope } from '../scopes';
import { bool, decodeToken, encodeToken, limit, one, pathParam } from '../params';
import { PERSON_FIELDS, renderDeleted, renderPerson } from './render';

const route = {
  config: { sandbox: { provider: 'google' as const, routeId: 'people.connections.list', auth: true } },
};
const invalidArgument = (message: string) =>
  googleError(400, message, { domain: 'global', reason: 'badRequest' });

/** people.connections.list: full pages, then incremental by syncToken (400 EXPIRED_SYNC_TOKEN). */
export function registerPeopleConnections(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/v1/people/:person/connections', route, async (request, reply) => {
    const auth = requireAuth(request);
    if (!hasAnyScope(auth, CONTACTS_READ_SCOPES)) return send(reply, insufficientScope());
    const { account } = auth;
    if (pathParam(request, 'person') !== 'me') return send(reply, notFound());
    const fieldsParam = one(request, 'personFields');
    if (!fieldsParam) {
      return send(
        reply,
        invalidArgument('personFields mask is required. Please specify one or more valid paths.'),
      );
    }
    const fields = new Set(fieldsParam.split(',').map((f) => f.trim()));
    const unknown = [...fields].find((f) => !PERSON_FIELDS.has(f));
    if (unknown) return send(reply, invalidArgument(`Invalid personFields mask path: "${unknown}".`));
    const pageToken = one(request, 'pageToken');
    const cursor = decodeToken(pageToken);
    if (pageToken !== undefined && cursor?.s === undefined)
      return send(reply, invalidArgument('Page token is invalid.'));
    const contacts = ctx.datasets.open(account, peopleContacts);
    const sortOrder = one(request, 'sortOrder');
    if (sortOrder !== undefined && sortOrder !== 'LAST_MODIFIED_ASCENDING') {
      return send(reply, invalidArgument(`The sandbox only emulates sortOrder LAST_MODIFIED_ASCENDING.`));
    }
    const pageSize = limit(request, 'pageSize', 100, 1000);
    const wantsToken = bool(request, 'requestSyncToken');
    const updateTime = new Date(ctx.clock.now()).toISOString();
    const syncToken = one(request, 'syncToken');

    if (syncToken !== undefined) {
      const since = decodeToken(syncToken)?.v;
      const result = since === undefined ? undefined : contacts.changesSince(since);
      if (!result?.ok) return send(reply, expiredSyncToken());
      const upTo = cursor?.s ?? result.currentSeq;
      const changes = result.changes.filter((c) => c.seq <= upTo);
      const offset = cursor?.c ?? 0;
      const slice = changes.slice(offset, offset + pageSize).map((c) => {
        const item = c.kind === 'delete' ? undefined : contacts.get(c.id);
        return item ? renderPerson(item, fields, updateTime) : renderDeleted(c.id, c.seq);
      });
      const more = offset + pageSize < changes.length;
      return {
        ...(slice.length > 0 ? { connections: slice } : {}),
        ...(more ? { nextPageToken: encodeToken({ c: offset + pageSize, s: upTo }) } : {}),
        ...(!more && wantsToken ? { nextSyncToken: encodeToken({ v: upTo }) } : {}),
        totalPeople: contacts.count(),
        totalItems: contacts.count(),
      };
    }

    const snapshot = cursor?.s ?? ctx.datasets.currentSeq(account);
    const page = contacts.page({
      ...(cursor?.o === undefined ? {} : { after: cursor.o }),
      limit: pageSize,
      order: 'asc',
    });
    const more = page.nextOrdinal !== undefined;
    return {
      ...(page.items.length > 0
        ? { connections: page.items.map((item) => renderPerson(item, fields, updateTime)) }
        : {}),
      ...(more ? { nextPageToken: encodeToken({ o: page.nextOrdinal as number, s: snapshot }) } : {}),
      ...(!more && wantsToken ? { nextSyncToken: encodeToken({ v: snapshot }) } : {}),
      totalPeople: contacts.count(),
      totalItems: contacts.count(),
    };
  });
}
