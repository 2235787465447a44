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
}

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

/** Every folder of the mailbox with its parent, through one mailFolders delta round (a few pages at most). */
async function everyFolder(client: Client, origin: string): Promise<Map<string, string | undefined>> {
  const parents = new Map<string, string | undefined>();
  let body = (await client.api('/me/mailFolders/delta').select(['parentFolderId']).get()) as {
    value?: FolderEntry[];
    '@odata.nextLink'?: unknown;
  };
  for (;;) {
    for (const f of body.value ?? []) {
      if (typeof f.id !== 'string') continue;
      // A folder delta may report removed folders too; they hold nothing to sync.
      if ('@removed' in f) continue;
      parents.set(f.id, typeof f.parentFolderId === 'string' ? f.parentFolderId : undefined);
    }
    const next = body['@odata.nextLink'];
    if (typeof next !== 'string') return parents;
    body = (await client.api(onOrigin(next, origin)).get()) as typeof body;
  }
}

/** The ids of the folders to follow, in a stable order (the order Graph lists them). */
export async function includedFolders(
  client: Client,
  selection: MailFolderSelection,
  origin: string,
): Promise<string[]> {
  // One request at a time: Outlook allows 4 concurrent requests per app and mailbox
  // (docs/providers/microsoft.md#throttling), and the engine may run other resources meanwhile.
  const named = async (names: readonly string[]) => {
    const ids: string[] = [];
    for (const name of names) {
      const id = await folderId(client, name);
      if (id !== undefined) ids.push(id);
    }
    return ids;
  };
  const include = await named(selection.include);
  if (!selection.all) return [...new Set(include)];
  const excluded = new Set(await named(selection.exclude));
  const parents = await everyFolder(client, origin);
  const under = (id: string): boolean => {
    // Walk up to the root; a folder inside an excluded one (e.g. a subfolder of Deleted Items) is excluded too.
    for (let at: string | undefined = id, hops = 0; at !== undefined && hops < 64; hops += 1) {
      if (excluded.has(at)) return true;
      at = parents.get(at);
    }
    return false;
  };
  return [...new Set([...[...parents.keys()].filter((id) => !under(id)), ...include])];
}
