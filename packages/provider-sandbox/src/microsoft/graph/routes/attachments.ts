import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../../core/hooks';
import { type ResourceGenerator, type RouteMeta, type SandboxContext } from '../../../core/types';
import { type GraphFile, type MessageData } from '../generate';
import { parsePrefer } from '../prefer';
import { storedIdOf, wireId } from '../render';
import { sendGraphError } from '../reply';
import { parseSelect, project, unknownSelected } from '../select';
import { type GraphFileAttachment } from '../types';

const meta: RouteMeta = {
  provider: 'microsoft',
  routeId: 'graph.messages.attachments.list',
  auth: true,
  quotaUnits: 1,
};

const valueMeta: RouteMeta = {
  provider: 'microsoft',
  routeId: 'graph.messages.attachments.value',
  auth: true,
  quotaUnits: 1,
};

/**
 * What `$select` may name on the attachments of a message: the base `attachment` type's properties. `contentId`
 * and `contentBytes` belong to `fileAttachment`, and Graph refuses them in a `$select` on the collection
 * (docs/providers/microsoft.md#message-content).
 */
const ATTACHMENT_PROPERTIES = ['id', 'lastModifiedDateTime', 'name', 'contentType', 'size', 'isInline'];

/** Deterministic bytes of a file (its name repeated): `contentBytes` (base64) and `$value` (raw) serve them. */
const bytesOf = (file: GraphFile) => Buffer.alloc(file.size, file.name);

/** A file attachment's id: its message's id and its place among the message's files. */
const attachmentIdOf = (messageWireId: string, index: number) =>
  `${messageWireId}${Buffer.from(`.a${index}`).toString('base64url')}`;

/** The place an attachment id names among its message's files, if it is one of that message's ids. */
function placeOf(messageWireId: string, attachmentId: string): number | undefined {
  if (!attachmentId.startsWith(messageWireId)) return undefined;
  const suffix = Buffer.from(attachmentId.slice(messageWireId.length), 'base64url').toString();
  const match = /^\.a(\d+)$/.exec(suffix);
  return match ? Number(match[1]) : undefined;
}

/** `withBytes` false: the content is left empty, for a `$select` that projects it away anyway. */
function attachmentOf(
  messageWireId: string,
  file: GraphFile,
  index: number,
  modified: string,
  withBytes: boolean,
): GraphFileAttachment {
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    id: attachmentIdOf(messageWireId, index),
    lastModifiedDateTime: modified,
    name: file.name,
    contentType: file.contentType,
    size: file.size,
    isInline: file.contentId !== null,
    contentId: file.contentId,
    contentLocation: null,
    contentBytes: withBytes ? bytesOf(file).toString('base64') : '',
  };
}

/**
 * `GET /v1.0/me/messages/{id}/attachments` (https://learn.microsoft.com/graph/api/message-list-attachments): the
 * message's files, inline ones included, with their content unless a `$select` leaves it out.
 */
export function registerMessageAttachments(
  app: FastifyInstance,
  ctx: SandboxContext,
  generator: ResourceGenerator<MessageData>,
): void {
  app.get<{ Params: { id: string }; Querystring: { $select?: string } }>(
    '/v1.0/me/messages/:id/attachments',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const select = parseSelect(request.query.$select);
      const unknown = unknownSelected(select, ATTACHMENT_PROPERTIES);
      if (unknown !== undefined)
        return sendGraphError(reply, ctx.clock, 'RequestBroker--ParseUri', {
          message: `Could not find a property named '${unknown}' on type 'microsoft.graph.attachment'.`,
        });
      const stored = ctx.datasets.open(account, generator).get(storedIdOf(request.params.id));
      if (stored === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      const messageId = wireId(stored.id, parsePrefer(request.headers.prefer));
      // Bytes are made only when the content is asked for.
      const withBytes = select === undefined;
      const value = stored.data.files.map((file, index) =>
        project(attachmentOf(messageId, file, index, stored.data.lastModifiedDateTime, withBytes), select),
      );
      return {
        '@odata.context': `${ctx.urls.microsoft}/v1.0/$metadata#users('me')/messages('${messageId}')/attachments`,
        value,
      };
    },
  );
}

/**
 * `GET /v1.0/me/messages/{id}/attachments/{id}/$value`: a file attachment's raw bytes, with its own content type
 * ("For a file attachment, the content type is based on its original content type",
 * https://learn.microsoft.com/graph/api/attachment-get, docs/providers/microsoft.md#attachment-content).
 */
export function registerAttachmentValue(
  app: FastifyInstance,
  ctx: SandboxContext,
  generator: ResourceGenerator<MessageData>,
): void {
  app.get<{ Params: { id: string; attachmentId: string } }>(
    '/v1.0/me/messages/:id/attachments/:attachmentId/$value',
    { config: { sandbox: valueMeta } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const stored = ctx.datasets.open(account, generator).get(storedIdOf(request.params.id));
      if (stored === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      const place = placeOf(request.params.id, request.params.attachmentId);
      const file = place === undefined ? undefined : stored.data.files[place];
      if (file === undefined) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      return reply.type(file.contentType).send(bytesOf(file));
    },
  );
}
