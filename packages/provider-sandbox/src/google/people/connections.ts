import { type FastifyInstance } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type SandboxContext } from '../../core/types';
import { peopleContacts } from './generate';
import { expiredSyncToken, googleError, insufficientScope, notFound } from '../errors';
import { CONTACTS_READ_SCOPES, hasAnyScope } from '../scopes';
import { openToken, queryFingerprint, sealToken } from '../cursors';
import { bool, limit, one, pathParam } from '../params';
import { PERSON_FIELDS, renderDeleted, renderPerson } from './render';

const route = {
  config: { sandbox: { provider: 'google' as const, routeId: 'people.connections.list', auth: true } },
};
/**
 * With a pageToken, every other parameter must match the call that returned it
 * (docs/providers/google.md#people-sync); `fields` is a system parameter, not the method's.
 */
const NOT_IN_FINGERPRINT = ['pageToken', 'fields'];
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
    const query = queryFingerprint(request, NOT_IN_FINGERPRINT);
    const cursor = openToken('people.connections.pageToken', account, pageToken, query);
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
      const since = openToken('people.connections.syncToken', account, syncToken)?.v;
      const result = since === undefined ? undefined : contacts.changesSince(since);
      if (since === undefined || !result?.ok) return send(reply, expiredSyncToken());
      // Pages resume after the last sequence served: a contact edited between pages moves past `upTo` (to the next
      // sync) and shifts nothing else.
      const upTo = cursor?.s ?? result.currentSeq;
      const after = cursor?.k ?? since;
      const changes = result.changes.filter((c) => c.seq > after && c.seq <= upTo);
      const page = changes.slice(0, pageSize);
      const slice = page.map((c) => {
        const item = c.kind === 'delete' ? undefined : contacts.get(c.id);
        return item
          ? renderPerson(item, fields, updateTime, true)
          : renderDeleted(c.id, c.seq, contacts.lastSeen(c.id)?.data);
      });
      const last = page[page.length - 1];
      const more = page.length < changes.length && last !== undefined;
      const token = (k: number) => sealToken('people.connections.pageToken', account, { k, s: upTo }, query);
      return {
        ...(slice.length > 0 ? { connections: slice } : {}),
        ...(more ? { nextPageToken: token(last.seq) } : {}),
        ...(!more && wantsToken
          ? { nextSyncToken: sealToken('people.connections.syncToken', account, { v: upTo }) }
          : {}),
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
      ...(more
        ? {
            nextPageToken: sealToken(
              'people.connections.pageToken',
              account,
              { o: page.nextOrdinal as number, s: snapshot },
              query,
            ),
          }
        : {}),
      ...(!more && wantsToken
        ? { nextSyncToken: sealToken('people.connections.syncToken', account, { v: snapshot }) }
        : {}),
      totalPeople: contacts.count(),
      totalItems: contacts.count(),
    };
  });
}
