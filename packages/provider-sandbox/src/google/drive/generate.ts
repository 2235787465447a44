import { mix, pick } from '../../core/random';
import { type Account, type ResourceGenerator } from '../../core/types';
import { itemTime, str, TOPICS } from '../data';

/** A file's bytes: generated from a seed (any size, nothing held) or the bytes an upload sent. */
export type FileContent = { kind: 'seeded'; seed: number; size: number } | { kind: 'bytes'; data: Buffer };

export interface DriveFileData {
  name: string;
  mimeType: string;
  content: FileContent;
  ownerEmail: string;
  created: number;
  modified: number;
  trashed: boolean;
  /**
   * OAuth clients the file is available to under `drive.file`: the app that created it, and apps the user opened
   * it with or picked it for in the Google Picker (docs/providers/google.md#drive-access-under-drivefile).
   */
  apps: string[];
  /** Clients that had `drive.file` access once: their changes feed reports the loss as `removed`. */
  formerApps: string[];
  permissions: DrivePermission[];
}

export interface DrivePermission {
  id: string;
  type: 'user' | 'group' | 'domain' | 'anyone';
  role: string;
  emailAddress?: string;
}

/** Drive file ids are opaque (33 characters in practice, https://developers.google.com/workspace/drive/api/guides/about-files). */
const head = (account: Account) => `1d${(mix(account.seed, 71) >>> 3).toString(36).padStart(7, '0')}`;

const MIME_TYPES = ['application/pdf', 'text/plain', 'image/png', 'application/vnd.google-apps.document'];

export const contentSize = (content: FileContent) =>
  content.kind === 'seeded' ? content.size : content.data.length;

const BLOCK = 64 * 1024;

/** The 64 KiB block a seeded content repeats; `byte(i) = block[i % 65536]`, so any range is cheap to produce. */
export function seededBlock(seed: number): Buffer {
  const block = Buffer.allocUnsafe(BLOCK);
  for (let i = 0; i < BLOCK; i += 4) block.writeUInt32LE(mix(seed, i) >>> 0, i);
  return block;
}

function contentFrom(fields: Record<string, unknown>, current: FileContent, seed: number): FileContent {
  const content = fields.content;
  if (Buffer.isBuffer(content)) return { kind: 'bytes', data: content };
  if (typeof content === 'string') return { kind: 'bytes', data: Buffer.from(content, 'utf8') };
  if (typeof fields.size === 'number' && Number.isInteger(fields.size) && fields.size >= 0)
    return { kind: 'seeded', seed, size: fields.size };
  return current;
}

const addTo = (list: string[], value: unknown) =>
  typeof value === 'string' && !list.includes(value) ? [...list, value] : list;

/**
 * Drive files of the account (`drivefiles`). Base files are available to no app: under `drive.file` an app sees one
 * only after the user picks it (control field `openedWith: <clientId>`). Control-API fields: `name`, `mimeType`,
 * `size` (seeded content of that many bytes) or `content` (a string, or bytes in process), `trashed`,
 * `openedWith` / `revokeApp` (a client id gains or loses access), `createdBy` (the client that created it).
 * A rename or new content stamps `modifiedTime`, as Drive does for any change to the file.
 */
export const driveFiles: ResourceGenerator<DriveFileData> = {
  provider: 'google',
  resource: 'drivefiles',
  idFor: (account, ordinal) => `${head(account)}${ordinal.toString(36).padStart(8, '0')}`,
  ordinalOf(account, id) {
    const rest = id.slice(head(account).length);
    return id.startsWith(head(account)) && /^[0-9a-z]{8}$/.test(rest) ? Number.parseInt(rest, 36) : undefined;
  },
  make(account, ordinal, size) {
    const time = itemTime(account, ordinal, size, 3_600_000);
    const mimeType = pick(MIME_TYPES, mix(account.seed, ordinal + 73));
    return {
      name: `${pick(TOPICS, mix(account.seed, ordinal + 79))} ${ordinal}`,
      mimeType,
      content: {
        kind: 'seeded',
        seed: mix(account.seed, ordinal + 83),
        size: 1024 + (mix(account.seed, ordinal) % 60_000),
      },
      ownerEmail: account.email,
      created: time,
      modified: time,
      trashed: false,
      apps: [],
      formerApps: [],
      permissions: [],
    };
  },
  apply(item, fields, account, now) {
    const content = contentFrom(fields, item.content, mix(account.seed, now));
    const revoked = typeof fields.revokeApp === 'string' ? fields.revokeApp : undefined;
    const apps = addTo(addTo(item.apps, fields.openedWith), fields.createdBy).filter((a) => a !== revoked);
    const name = str(fields, 'name', item.name);
    const touched = name !== item.name || content !== item.content;
    return {
      ...item,
      name,
      mimeType: str(fields, 'mimeType', item.mimeType),
      content,
      created: typeof fields.createdBy === 'string' ? now : item.created,
      modified: touched ? now : item.modified,
      trashed: typeof fields.trashed === 'boolean' ? fields.trashed : item.trashed,
      apps,
      formerApps: apps.reduce(addTo, item.formerApps),
      permissions: Array.isArray(fields.permissions)
        ? (fields.permissions as DrivePermission[])
        : item.permissions,
    };
  },
};
