import { type FastifyInstance } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type SandboxContext } from '../../core/types';
import { insufficientScope } from '../errors';
import { openToken, queryFingerprint, sealToken } from '../cursors';
import { limit, one, pathParam } from '../params';
import { canRead, fileNotFound, invalidValue, notDownloadable, visible } from './access';
import { contentStream, parseRange } from './content';
import { contentSize, driveFiles } from './generate';
import { defaultFields, renderFile } from './render';

const route = (routeId: string) => ({
  config: { sandbox: { provider: 'google' as const, routeId, auth: true } },
});

/**
 * Drive v3 `files.get`: metadata (Drive's four default fields unless `fields` asks for more), or the bytes with
 * `alt=media`, honouring a single `Range` (206 + Content-Range, 416 past the end) as guides/manage-downloads says.
 * A file the app may not see is a 404 notFound, whatever the reason.
 */
export function registerDriveFiles(app: FastifyInstance, ctx: SandboxContext): void {
  /**
   * `files.list`: the files the app may see (under `drive.file`, those it created or the user picked for it), in
   * creation order, `pageSize` default 100 max 1000. Of the query language only `trashed = false` / `trashed = true`
   * is served; any other `q` is refused rather than ignored.
   */
  app.get('/drive/v3/files', route('drive.files.list'), async (request, reply) => {
    const auth = requireAuth(request);
    if (!canRead(auth)) return send(reply, insufficientScope());
    const q = one(request, 'q')?.replace(/\s+/g, ' ').trim();
    const trashed = q === undefined ? undefined : { 'trashed = false': false, 'trashed = true': true }[q];
    if (q !== undefined && trashed === undefined) return send(reply, invalidValue('q'));
    const fingerprint = queryFingerprint(request, ['pageToken', 'pageSize', 'fields']);
    const token = one(request, 'pageToken');
    const after =
      token === undefined ? null : openToken('drive.files.pageToken', auth.account, token, fingerprint)?.o;
    if (after === undefined) return send(reply, invalidValue('pageToken'));
    const page = ctx.datasets.open(auth.account, driveFiles).page({
      ...(after === null ? {} : { after }),
      limit: limit(request, 'pageSize', 100, 1000),
      order: 'asc',
      filter: (item) => visible(auth, item) && (trashed === undefined || item.data.trashed === trashed),
    });
    const fields = one(request, 'fields') !== undefined;
    return {
      kind: 'drive#fileList',
      incompleteSearch: false,
      ...(page.nextOrdinal === undefined
        ? {}
        : {
            nextPageToken: sealToken(
              'drive.files.pageToken',
              auth.account,
              { o: page.nextOrdinal },
              fingerprint,
            ),
          }),
      files: page.items.map((item) => {
        const file = renderFile(ctx.urls.google, auth.account, item);
        return fields ? file : defaultFields(file);
      }),
    };
  });

  app.get('/drive/v3/files/:fileId', route('drive.files.get'), async (request, reply) => {
    const auth = requireAuth(request);
    if (!canRead(auth)) return send(reply, insufficientScope());
    const fileId = pathParam(request, 'fileId');
    const file = ctx.datasets.open(auth.account, driveFiles).get(fileId);
    if (!file || !visible(auth, file)) return send(reply, fileNotFound(fileId));
    if (one(request, 'alt') !== 'media') {
      const rendered = renderFile(ctx.urls.google, auth.account, file);
      return one(request, 'fields') === undefined ? defaultFields(rendered) : rendered;
    }
    if (file.data.mimeType.startsWith('application/vnd.google-apps.')) return send(reply, notDownloadable());
    const size = contentSize(file.data.content);
    const range = parseRange(request.headers.range, size);
    void reply.header('content-type', file.data.mimeType).header('accept-ranges', 'bytes');
    if (range === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${size}`).send();
    }
    if (size === 0) return reply.header('content-length', '0').send(Buffer.alloc(0));
    const served = range ?? { start: 0, end: size - 1 };
    void reply.header('content-length', String(served.end - served.start + 1));
    if (range) void reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
    return reply.send(contentStream(file.data.content, served));
  });
}
