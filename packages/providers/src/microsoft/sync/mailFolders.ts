import { type Client } from '@microsoft/microsoft-graph-client';
import { onOrigin } from './delta';

/**
 * Which mail folders the mail syncer follows. `all` is every folder of the mailbox (found through mailFolders delta,
 * which lists the whole hierarchy flat: https://learn.microsoft.com/graph/api/mailfolder-delta), minus `exclude` and
 * everything under them; otherwise exactly `include`. Names are well-known folder names (`inbox`, `sentitems`,
 * `archive`, `deleteditems`, `junkemail`, …: https://learn.microsoft.com/graph/api/resources/mailfolder) or folder ids.
 */
export interface MailFolderSelection {
  all: boolean;
  include: readonly string[];
  exclude: readonly string[];
}

const ENTRY = /^-?[A-Za-z0-9_=+/-]+$/;

/**
 * `all,-deleteditems,-junkemail` style: `all` starts from every folder, `-name` takes a folder (and its subfolders)
 * away, a bare name adds one folder. Throws on anything else, so a typo fails at startup rather than syncing nothing.
 */
export function parseMailFolders(spec: string): MailFolderSelection {
  const entries = spec
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const bad = entries.find((e) => !ENTRY.test(e) || e === '-all');
  if (bad !== undefined || entries.length === 0)
    throw new RangeError(`mail folders: cannot read ${JSON.stringify(bad ?? spec)}`);
  const all = entries.includes('all');
  const include = entries.filter((e) => e !== 'all' && !e.startsWith('-'));
  const exclude = entries.filter((e) => e.startsWith('-')).map((e) => e.slice(1));
  if (!all && include.length === 0) throw new RangeError('mail folders: nothing to sync');
  return { all, include, exclude };
}

interface FolderEntry {
  id?: unknown;
  parentFolderId?: unknown;
  '@removed'?: unknown;
}

/**
 * The mailbox's folder hierarchy as the last round saw it, kept in the mail cursor so a round asks mailFolders delta
 * only for what changed since (https://learn.microsoft.com/graph/api/mailfolder-delta) instead of listing every
 * folder and looking each configured name up again.
 */
// A type, not an interface: it is stored as JSON in the continuation (SyncContinuation's JsonValue).
export type FolderTree = {
  /** The mailFolders delta link the next round starts from. */
  link: string;
  /** Folder id → its parent's id (null when the delta named none). */
  parents: Record<string, string | null>;
  /** Configured names (well-known names or ids) → the folder id they resolved to. */
  named: Record<string, string>;
};

/** A folder's id by well-known name or id; undefined when the mailbox has no such folder (e.g. no Archive yet). */
async function folderId(client: Client, name: string): Promise<string | undefined> {
  try {
    const folder = (await client
      .api(`/me/mailFolders/${encodeURIComponent(name)}`)
      .select(['id'])
      .get()) as FolderEntry;
    return typeof folder.id === 'string' ? folder.id : undefined;
  } catch (error) {
    if ((error as { statusCode?: unknown }).statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * One mailFolders delta round applied to `parents`: from scratch it lists the whole hierarchy flat; from a delta link
 * it gives the folders added, renamed or moved since (Graph may send only the changed properties of an updated
 * folder, so a parent it leaves out is kept) and the deleted ones as `@removed`
 * (https://learn.microsoft.com/graph/delta-query-overview, docs/providers/microsoft.md#mail-folders).
 */
async function folderDelta(
  client: Client,
  origin: string,
  from: { link: string; parents: Record<string, string | null> } | undefined,
): Promise<Pick<FolderTree, 'link' | 'parents'>> {
  const parents = { ...from?.parents };
  let body = (await (
    from ? client.api(from.link) : client.api('/me/mailFolders/delta').select(['parentFolderId'])
  ).get()) as { value?: FolderEntry[]; '@odata.nextLink'?: unknown; '@odata.deltaLink'?: unknown };
  for (;;) {
    for (const f of body.value ?? []) {
      if (typeof f.id !== 'string') continue;
      if ('@removed' in f) delete parents[f.id];
      else parents[f.id] = typeof f.parentFolderId === 'string' ? f.parentFolderId : (parents[f.id] ?? null);
    }
    const next = body['@odata.nextLink'];
    if (typeof next !== 'string') {
      const link = body['@odata.deltaLink'];
      if (typeof link !== 'string') throw new Error('mailFolders delta ended without a delta link');
      return { link: onOrigin(link, origin), parents };
    }
    body = (await client.api(onOrigin(next, origin)).get()) as typeof body;
  }
}

/**
 * The folder tree now: the prior one brought up to date through its delta link (listed again from scratch when Graph
 * no longer knows that link, a 410), and the configured names resolved, reusing the prior resolution of a name while
 * its folder still exists. One request at a time: Outlook allows 4 concurrent requests per app and mailbox
 * (docs/providers/microsoft.md#throttling), and the engine may run other resources meanwhile.
 */
export async function currentTree(
  client: Client,
  selection: MailFolderSelection,
  origin: string,
  prior?: FolderTree,
): Promise<FolderTree> {
  let tree: Pick<FolderTree, 'link' | 'parents'> | undefined;
  if (prior)
    tree = await folderDelta(client, origin, prior).catch((error: unknown) => {
      if ((error as { statusCode?: unknown }).statusCode === 410) return undefined;
      throw error;
    });
  tree ??= await folderDelta(client, origin, undefined);
  const named: Record<string, string> = {};
  for (const name of [...selection.include, ...selection.exclude]) {
    const known = prior?.named[name];
    const id = known !== undefined && known in tree.parents ? known : await folderId(client, name);
    if (id !== undefined) named[name] = id;
  }
  return { ...tree, named };
}

/** The ids of the folders to follow in a tree, in a stable order (the order Graph listed them). */
export function followedFolders(tree: FolderTree, selection: MailFolderSelection): string[] {
  const ids = (names: readonly string[]) =>
    names.map((n) => tree.named[n]).filter((id): id is string => id !== undefined);
  const include = ids(selection.include);
  if (!selection.all) return [...new Set(include)];
  const excluded = new Set(ids(selection.exclude));
  const under = (id: string): boolean => {
    // Walk up to the root; a folder inside an excluded one (e.g. a subfolder of Deleted Items) is excluded too.
    for (let at: string | null | undefined = id, hops = 0; typeof at === 'string' && hops < 64; hops += 1) {
      if (excluded.has(at)) return true;
      at = tree.parents[at];
    }
    return false;
  };
  return [...new Set([...Object.keys(tree.parents).filter((id) => !under(id)), ...include])];
}

/** The folders to follow, from a fresh listing (the completeness audit, which keeps no cursor). */
export async function includedFolders(
  client: Client,
  selection: MailFolderSelection,
  origin: string,
): Promise<string[]> {
  return followedFolders(await currentTree(client, selection, origin), selection);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tree read back from a cursor or continuation; undefined when it is not one (it is then listed again). */
export function readTree(value: unknown, origin: string): FolderTree | undefined {
  if (!isRecord(value) || typeof value.link !== 'string') return undefined;
  const { parents, named } = value;
  if (!isRecord(parents) || !Object.values(parents).every((p) => p === null || typeof p === 'string'))
    return undefined;
  if (!isRecord(named) || !Object.values(named).every((n) => typeof n === 'string')) return undefined;
  return {
    link: onOrigin(value.link, origin),
    parents: parents as FolderTree['parents'],
    named: named as FolderTree['named'],
  };
}
