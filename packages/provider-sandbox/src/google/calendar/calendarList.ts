import { type FastifyInstance } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type SandboxContext } from '../../core/types';
import { fullSyncRequired, insufficientScope } from '../errors';
import { CALENDAR_READ_SCOPES, hasAnyScope } from '../scopes';
import { openToken, sealToken } from '../cursors';
import { one } from '../params';
import { calendarListEntry } from './render';

const route = {
  config: { sandbox: { provider: 'google' as const, routeId: 'calendar.calendarList.list', auth: true } },
};

/** calendarList.list: every account has exactly its primary calendar, which never changes. */
export function registerCalendarList(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/calendar/v3/users/me/calendarList', route, async (request, reply) => {
    const auth = requireAuth(request);
    if (!hasAnyScope(auth, CALENDAR_READ_SCOPES)) return send(reply, insufficientScope());
    const { account } = auth;
    const syncToken = one(request, 'syncToken');
    const seq = ctx.datasets.currentSeq(account);
    if (
      syncToken !== undefined &&
      openToken('calendar.calendarList.syncToken', account, syncToken)?.l === undefined
    )
      return send(reply, fullSyncRequired());
    return {
      kind: 'calendar#calendarList',
      etag: `"${account.seed}"`,
      nextSyncToken: sealToken('calendar.calendarList.syncToken', account, { l: seq }),
      items: syncToken === undefined ? [calendarListEntry(account)] : [],
    };
  });
}
