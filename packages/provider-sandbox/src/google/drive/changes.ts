import { type FastifyInstance } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type Account, type RequestAuth, type SandboxContext } from '../../core/types';
import { openToken, sealToken } from '../cursors';
import { insufficientScope } from '../errors';
import { limit, one } from '../params';
import { canRead, invalidValue, requiredParameter, visible } from './access';
import { driveFiles } from './generate';
import { renderFile } from './render';

const route = (routeId: string) => ({
  config: { sandbox: { provider: 'google' as const, routeId, auth: true } },
});

/**
 * Start page tokens and page tokens are one kind of token in Drive (either goes in `pageToken`); here both carry the
 * account sequence after which changes are listed, sealed so they stay opaque (docs/providers/google.md#drive-changes).
 */
const seal = (account: Account, seq: number) => sealToken('drive.changes.pageToken', account, { s: seq });

/**
 * Drive v3 changes: `changes.getStartPageToken` and `changes.list` (oldest first, `pageSize` default 100 max 1000,
 * `nextPageToken` while more follow, `newStartPageToken` on the last page). Under `drive.file` the feed holds only
 * files the app can see; a file it could see once and no longer can (deleted, access revoked) is a `removed` change
 * without a `file`, left out with `includeRemoved=false`. Trashing is an ordinary change with `trashed: true`.
 */
export function registerDriveChanges(app: FastifyInstance, ctx: SandboxContext): void {
  app.get(
    '/drive/v3/changes/startPageToken',
    route('drive.changes.getStartPageToken'),
    async (request, reply) => {
      const auth = requireAuth(request);
      if (!canRead(auth)) return send(reply, insufficientScope());
      return {
        kind: 'drive#startPageToken',
        startPageToken: seal(auth.account, ctx.datasets.currentSeq(auth.account)),
      };
    },
  );

  app.get('/drive/v3/changes', route('drive.changes.list'), async (request, reply) => {
    const auth = requireAuth(request);
    if (!canRead(auth)) return send(reply, insufficientScope());
    const token = one(request, 'pageToken');
    if (token === undefined) return send(reply, requiredParameter('pageToken'));
    const since = openToken('drive.changes.pageToken', auth.account, token)?.s;
    if (since === undefined) return send(reply, invalidValue('pageToken'));
    const files = ctx.datasets.open(auth.account, driveFiles);
    const result = files.changesSince(since);
    if (!result.ok) return send(reply, invalidValue('pageToken'));
    const includeRemoved = one(request, 'includeRemoved') !== 'false';
    const pageSize = limit(request, 'pageSize', 100, 1000);
    const changes = [];
    let last = since;
    let more = false;
    for (const change of result.changes) {
      if (changes.length === pageSize) {
        more = true;
        break;
      }
      last = change.seq;
      const rendered = renderChange(ctx, auth, change.id);
      if (rendered && (includeRemoved || !rendered.removed)) changes.push(rendered);
    }
    return {
      kind: 'drive#changeList',
      ...(more
        ? { nextPageToken: seal(auth.account, last) }
        : { newStartPageToken: seal(auth.account, result.currentSeq) }),
      changes,
    };
  });
}

function renderChange(ctx: SandboxContext, auth: RequestAuth, fileId: string) {
  const files = ctx.datasets.open(auth.account, driveFiles);
  const file = files.get(fileId);
  const time = new Date(ctx.clock.now()).toISOString();
  const common = { kind: 'drive#change', changeType: 'file', fileId, time };
  if (file && visible(auth, file)) {
    return { ...common, removed: false, file: renderFile(ctx.urls.google, auth.account, file) };
  }
  const known = (file ?? files.lastSeen(fileId))?.data.formerApps.includes(auth.clientId) ?? false;
  return known ? { ...common, removed: true } : undefined;
}
