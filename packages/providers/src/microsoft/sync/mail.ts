import {
  type EmailRecord,
  type ListedWindow,
  type ResourceSyncer,
  type SyncPage,
  type SyncRequest,
} from '@crm-sync/core';
import { type Client } from '@microsoft/microsoft-graph-client';
import type { Message } from '@microsoft/microsoft-graph-types';
import { guarded } from '../../shared/guard';
import { type MailBodyOptions } from '../../shared/mailBody';
import { batchFailure, batchGet } from '../batch';
import { type GraphAccess } from '../client';
import { classifyMicrosoftError } from '../errors';
import { MESSAGE_FIELDS, mapMessage } from '../map';
import { hasFiles, ownerAddresses, withAttachments } from '../mailContent';
import { type DeltaOptions, type DeltaResponse, toPage } from './delta';
import { graphIdPass } from './idPass';
import { roundWindow, withWindow } from './listedWindow';
import { currentTree, followedFolders, includedFolders, type MailFolderSelection } from './mailFolders';
import {
  atFolder,
  type MailCursor,
  type MailRoundState,
  readCursor,
  readState,
  unusable,
  writeCursor,
  writeState,
} from './mailState';
import { daysFrom } from './window';

/**
 * Messages of the followed folders (`mail` → `emails`; mailFolders.ts says which), one message delta per folder
 * (mailState.ts).
 *
 * No `$filter`: Graph documents that a message delta with `$filter` returns at most 5,000 messages
 * (https://learn.microsoft.com/graph/delta-query-messages, docs/providers/microsoft.md#delta-endpoints), so a
 * folder with more in the window would end its round at the cap and the rest would never land. A folder is listed
 * whole (only the mapped fields) and the window is applied here (`mailListed`); its delta link then tracks every
 * message of the folder.
 */
export function mailFirstRequest(folder: string): { path: string; select: readonly string[] } {
  return { path: `/me/mailFolders/${encodeURIComponent(folder)}/messages/delta`, select: MESSAGE_FIELDS };
}

/** A message sent inside the window was received inside it too (received follows sent), so it was listed. */
export function mailWindow({
  now,
  initialWindowDays,
}: Pick<SyncRequest, 'now' | 'initialWindowDays'>): ListedWindow {
  return { after: new Date(daysFrom(now, -initialWindowDays)), before: null };
}

/**
 * Whether a listing keeps a message: received inside the window. A message without a readable receivedDateTime
 * is kept (its row is dated by sentDateTime, or undated and never swept), rather than silently lost.
 */
export function mailListed(message: Message, window: ListedWindow): boolean {
  const received = Date.parse(message.receivedDateTime ?? '');
  if (Number.isNaN(received)) return true;
  return window.after === null || received >= window.after.getTime();
}

export interface MailOptions extends DeltaOptions {
  folders: MailFolderSelection;
  body: MailBodyOptions;
}

export function createMailSyncer(access: GraphAccess, options: MailOptions): ResourceSyncer<'emails'> {
  // Immutable ids on every request: a message keeps its id when it moves between folders
  // (https://learn.microsoft.com/graph/outlook-immutable-id), so a move is an update of the same row.
  // `outlook.body-content-type` converts `body` to the type the CRM wants
  // (https://learn.microsoft.com/graph/api/message-get, docs/providers/microsoft.md#delta-endpoints).
  const prefer = `odata.maxpagesize=${options.pageSize}, IdType="ImmutableId", outlook.body-content-type="${options.body.contentType}"`;
  return {
    resource: 'mail',
    table: 'emails',
    fetchPage: (request) =>
      guarded('microsoft', 'mail delta', classifyMicrosoftError, async () => {
        const client = access.clientFor(request.accessToken, request.tally);
        const { continuation, mode, cursor } = request.position;
        const last: MailCursor =
          mode === 'incremental' && cursor ? readCursor(cursor, access.origin) : { links: {} };
        const prior = last.links;
        const window = roundWindow(request, mailWindow);
        const state = continuation
          ? readState(continuation, access.origin)
          : await firstState(client, options.folders, access.origin, last);
        if (state.folder === undefined)
          return withWindow(
            { upserts: [], deletes: [], next: { kind: 'caught_up', cursor: writeCursor({}, state.tree) } },
            window,
          );
        // The owner's addresses are read on the round's first page only, then carried (mailState.ts).
        const owner = state.owner ?? [...(await ownerAddresses(client))];
        const page = await folderPage(
          client,
          prefer,
          { ...state, folder: state.folder, owner },
          window ?? mailWindow(request),
          prior,
        );
        return withWindow(page, window);
      }),
    // Each followed folder's initial delta round with only the date the window is applied by.
    listIds: graphIdPass(
      {
        resource: 'mail',
        listings: async (client) =>
          (await includedFolders(client, options.folders, access.origin)).map((folder) => ({
            path: mailFirstRequest(folder).path,
            select: ['receivedDateTime'],
          })),
        window: mailWindow,
        keep: (item, window) => mailListed(item as Message, window),
      },
      access,
      options,
    ),
  };

  /**
   * The round's folders: the last round's tree brought up to date through mailFolders delta (a folder the user
   * creates is followed from the next round on). A folder the last round followed and this one does not (deleted,
   * moved under an excluded folder, or no longer configured) leaves rows only a full round can tell apart: its
   * messages are not in any followed folder's delta, so the round starts over as a full one, whose sweep removes them.
   */
  async function firstState(
    client: Client,
    selection: MailFolderSelection,
    origin: string,
    last: MailCursor,
  ): Promise<Omit<MailRoundState, 'folder'> & { folder: string | undefined }> {
    const tree = await currentTree(client, selection, origin, last.tree);
    const [first, ...pending] = followedFolders(tree, selection);
    const left = Object.keys(last.links).filter((f) => f !== first && !pending.includes(f));
    if (left.length > 0) throw unusable(`${left.length} followed folder(s) no longer followed`);
    if (first === undefined)
      return { folder: undefined, nextLink: null, initial: true, pending, done: {}, tree };
    return { ...atFolder(first, pending, {}, last.links), tree };
  }

  /**
   * One Graph page of the current folder. When it completes the folder, the next folders follow in the same call
   * until a page has more to come or every folder is done, so an empty folder costs a request but no engine page.
   */
  async function folderPage(
    client: Client,
    preferHeader: string,
    start: MailRoundState,
    window: ListedWindow,
    prior: Record<string, string>,
  ): Promise<SyncPage<'emails'>> {
    const owner = new Set(start.owner);
    // Messages whose files are listed once the page's records are known (mailContent.ts).
    const withFiles = new Set<string>();
    const map = (message: Message) => {
      const record = mapMessage(message, options.body, owner);
      if (hasFiles(message)) withFiles.add(record.externalId);
      return record;
    };
    const upserts = new Map<string, EmailRecord>();
    const deletes = new Set<string>();
    const resolved = new Map<string, EmailRecord | null>();
    let state = start;
    for (;;) {
      const first = mailFirstRequest(state.folder);
      const api = state.nextLink
        ? client.api(state.nextLink)
        : client.api(first.path).select([...first.select]);
      const body = (await api.header('Prefer', preferHeader).get()) as DeltaResponse;
      const keep = state.initial ? (m: Message) => mailListed(m, window) : undefined;
      const page = toPage<'emails', Message>({ map }, body, keep);
      const followed = new Set([state.folder, ...state.pending, ...Object.keys(state.done)]);
      // Later folders win, as later pages would; a removal is resolved by looking the message up (resolveRemoval).
      for (const record of page.upserts) {
        deletes.delete(record.externalId);
        upserts.set(record.externalId, record);
      }
      const unresolved = page.deletes.filter((id) => !resolved.has(id));
      const lookedUp = await resolveRemovals(client, preferHeader, unresolved, followed, map);
      unresolved.forEach((id, index) => resolved.set(id, lookedUp[index] ?? null));
      for (const id of page.deletes) {
        const record = resolved.get(id);
        if (record) {
          deletes.delete(id);
          upserts.set(id, record);
        } else {
          // The lookup is the message's state now: gone, or filed where it is not followed.
          upserts.delete(id);
          deletes.add(id);
        }
      }
      const changes = async () => ({
        upserts: await withAttachments(client, preferHeader, [...upserts.values()], withFiles),
        deletes: [...deletes],
      });
      if (page.next.kind === 'more') {
        const nextLink = page.next.continuation.nextLink as string;
        return {
          ...(await changes()),
          next: { kind: 'more', continuation: writeState({ ...state, nextLink }) },
        };
      }
      const done = { ...state.done, [state.folder]: page.next.cursor };
      const [folder, ...pending] = state.pending;
      if (folder === undefined)
        return { ...(await changes()), next: { kind: 'caught_up', cursor: writeCursor(done, state.tree) } };
      state = { ...atFolder(folder, pending, done, prior), owner: start.owner, tree: start.tree };
    }
  }
}

/**
 * What a folder's `@removed` means. Graph reports a message moved to another folder as removed from the one it left
 * (https://learn.microsoft.com/graph/delta-query-overview, "@removed"), so a removal alone cannot tell a delete from
 * a move: each removed message is looked up by its immutable id, through `$batch` (batch.ts). Still filed in a
 * followed folder: an update of the same row (whichever folder's delta comes first in the round, the row is never
 * deleted); filed in a folder not followed (Deleted Items, Junk Email) or gone (404): a delete (null). Any other
 * failure of a look-up fails the page, classified like a request of its own.
 */
async function resolveRemovals(
  client: Client,
  preferHeader: string,
  ids: readonly string[],
  followed: ReadonlySet<string>,
  map: (message: Message) => EmailRecord,
): Promise<Array<EmailRecord | null>> {
  const select = [...MESSAGE_FIELDS, 'parentFolderId'].join(',');
  const answers = await batchGet(
    client,
    preferHeader,
    ids.map((id) => `/me/messages/${encodeURIComponent(id)}?$select=${select}`),
  );
  return answers.map((answer) => {
    if (answer?.status === 404) return null;
    if (answer?.status !== 200) throw batchFailure(answer, 'message look-up');
    const message = answer.body as Message;
    const filed = message.parentFolderId;
    return typeof filed === 'string' && followed.has(filed) ? map(message) : null;
  });
}
