import { randomBytes } from 'node:crypto';
import { type FastifyInstance, type FastifyReply } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type Account, type SandboxContext } from '../../core/types';
import { badRequest, insufficientScope, notFound } from '../errors';
import { one } from '../params';
import { canWrite } from './access';
import { driveFiles } from './generate';
import { defaultFields, renderFile } from './render';

const route = (routeId: string) => ({
  config: { sandbox: { provider: 'google' as const, routeId, auth: true } },
});

interface Session {
  account: Account;
  clientId: string;
  name: string;
  mimeType: string;
  total: number | undefined;
  chunks: Buffer[];
  received: number;
  fileId?: string;
}

const PATH = '/upload/drive/v3/files';

/** `bytes a-b/total`, `bytes a-b/*`, `bytes * /total` (a status query); `null` when malformed. */
function contentRange(header: string | undefined) {
  if (header === undefined) return undefined;
  const m = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(header.trim());
  if (!m) return null;
  const total = m[3] === '*' ? undefined : Number(m[3]);
  return m[1] === undefined
    ? { query: true as const, total }
    : { query: false as const, start: Number(m[1]), end: Number(m[2]), total };
}

/**
 * Drive's resumable upload (guides/manage-uploads#resumable): `POST ?uploadType=resumable` with the metadata answers
 * 200 and a session URI in Location; each `PUT` to it carries a chunk with `Content-Range: bytes a-b/total`; until
 * the last byte the answer is 308 with `Range: bytes=0-n` (no Range while nothing arrived); `Content-Range: bytes
 * * /total` with no body asks where the upload stands (after a fault); the last chunk creates the file (200, File).
 * A chunk that starts past what was received is refused; bytes already received are skipped. A session is bound to
 * the token's account; an unknown one is a 404.
 */
export function registerDriveUpload(app: FastifyInstance, ctx: SandboxContext): void {
  const sessions = new Map<string, Session>();

  void app.register(async (scoped) => {
    // Chunks are read from the raw request in the handler, so a dropped connection stores nothing of its chunk.
    scoped.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    scoped.post(PATH, route('drive.files.create'), async (request, reply) => {
      const auth = requireAuth(request);
      if (!canWrite(auth)) return send(reply, insufficientScope());
      if (one(request, 'uploadType') !== 'resumable')
        return send(reply, badRequest('The sandbox serves uploadType=resumable only', 'uploadType'));
      const metadata = (request.body ?? {}) as { name?: unknown; mimeType?: unknown };
      const declared = request.headers['x-upload-content-length'];
      const total = typeof declared === 'string' ? Number(declared) : undefined;
      if (total !== undefined && !(Number.isInteger(total) && total >= 0))
        return send(reply, badRequest('Invalid X-Upload-Content-Length', 'X-Upload-Content-Length'));
      const id = randomBytes(18).toString('base64url');
      const typeHeader = request.headers['x-upload-content-type'];
      sessions.set(id, {
        account: auth.account,
        clientId: auth.clientId,
        name: typeof metadata.name === 'string' ? metadata.name : 'Untitled',
        mimeType:
          typeof metadata.mimeType === 'string'
            ? metadata.mimeType
            : typeof typeHeader === 'string'
              ? typeHeader
              : 'application/octet-stream',
        total,
        chunks: [],
        received: 0,
      });
      return reply
        .header('location', `${ctx.urls.google}${PATH}?uploadType=resumable&upload_id=${id}`)
        .header('x-guploader-uploadid', id)
        .send();
    });

    scoped.put(PATH, route('drive.files.upload'), async (request, reply) => {
      const auth = requireAuth(request);
      const session = sessions.get(one(request, 'upload_id') ?? '');
      if (!session || session.account.id !== auth.account.id) return send(reply, notFound());
      const range = contentRange(request.headers['content-range']);
      if (range === null) return send(reply, badRequest('Invalid Content-Range', 'Content-Range'));
      const body = await readAll(request.raw);
      if (session.fileId) return finished(ctx, reply, session);
      if (range?.total !== undefined) {
        if (session.total !== undefined && session.total !== range.total)
          return send(reply, badRequest('Content-Range total does not match the upload', 'Content-Range'));
        session.total = range.total;
      }
      if (range === undefined) session.total = session.received + body.length;
      if (range && !range.query) {
        if (range.end - range.start + 1 !== body.length)
          return send(reply, badRequest('Content-Range does not match the body length', 'Content-Range'));
        // Drive's wording, as a client captured it (docs/providers/google.md#drive-uploads-and-sharing).
        if (range.start > session.received)
          return send(
            reply,
            badRequest(
              `Invalid request.  According to the Content-Range header, the upload offset is ${range.start} byte(s), which exceeds already uploaded size of ${session.received} byte(s).`,
            ),
          );
        const fresh = body.subarray(session.received - range.start);
        session.chunks.push(fresh);
        session.received += fresh.length;
      } else if (range === undefined) {
        session.chunks.push(body);
        session.received += body.length;
      }
      if (session.total !== undefined && session.received >= session.total) {
        const file = ctx.datasets.open(session.account, driveFiles).add({
          name: session.name,
          mimeType: session.mimeType,
          content: Buffer.concat(session.chunks),
          createdBy: session.clientId,
        });
        session.fileId = file.id;
        session.chunks = [];
        return finished(ctx, reply, session);
      }
      if (session.received > 0) void reply.header('range', `bytes=0-${session.received - 1}`);
      return reply.code(308).send();
    });
  });
}

function finished(ctx: SandboxContext, reply: FastifyReply, session: Session) {
  const file = ctx.datasets.open(session.account, driveFiles).get(session.fileId ?? '');
  if (!file) return send(reply, notFound());
  return reply.send(defaultFields(renderFile(ctx.urls.google, session.account, file)));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
