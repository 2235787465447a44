import { ClassifiedProviderError, type SyncContinuation } from '@crm-sync/core';
import { onOrigin } from './delta';
import { type FolderTree, readTree } from './mailFolders';

/**
 * Where a mail round stands. Message delta tracks one folder per delta link
 * (https://learn.microsoft.com/graph/delta-query-messages: "Delta query is a per-folder operation"), so a round walks
 * the followed folders one after another: `folder` now (from `nextLink`, else from its last delta link or a new
 * listing), `pending` after it, and the delta links `done` so far, which become the next round's cursor.
 */
export interface MailRoundState {
  folder: string;
  nextLink: string | null;
  /** This folder is being listed from scratch (a full round, or a folder new since the last round). */
  initial: boolean;
  pending: string[];
  done: Record<string, string>;
  /**
   * The mailbox owner's addresses (direction, mailContent.ts `ownerAddresses`), read on the round's first page and
   * carried on, so a round reads `/me` once. Absent on a continuation written before it was kept: read again.
   */
  owner?: string[];
  /** The folder tree this round follows, written into its cursor at the end (mailFolders.ts `FolderTree`). */
  tree?: FolderTree;
}

/** What the last round left: a delta link per folder, and the folder tree (absent in a cursor from before it). */
export interface MailCursor {
  links: Record<string, string>;
  tree?: FolderTree;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function unusable(why: string): ClassifiedProviderError {
  return new ClassifiedProviderError({ kind: 'cursor_expired' }, `microsoft mail: ${why}; full resync`);
}

/** Links are checked against the Graph origin when read back, so a bearer token never follows a foreign one. */
function links(value: unknown, origin: string): Record<string, string> {
  if (!isRecord(value)) throw unusable('unreadable folder links');
  const out: Record<string, string> = {};
  for (const [folder, link] of Object.entries(value)) {
    if (typeof link !== 'string') throw unusable('unreadable folder links');
    out[folder] = onOrigin(link, origin);
  }
  return out;
}

/** The cursor: one delta link per folder and the folder tree, as JSON. An older single-link cursor: a full round. */
export function writeCursor(done: Record<string, string>, tree: FolderTree | undefined): string {
  return JSON.stringify({ folders: done, ...(tree && { tree }) });
}

export function readCursor(cursor: string, origin: string): MailCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    throw unusable('cursor is not per-folder JSON');
  }
  if (!isRecord(parsed)) throw unusable('cursor is not per-folder JSON');
  const tree = readTree(parsed.tree, origin);
  return { links: links(parsed.folders, origin), ...(tree && { tree }) };
}

export function writeState(state: MailRoundState): SyncContinuation {
  return {
    folder: state.folder,
    nextLink: state.nextLink,
    initial: state.initial,
    pending: state.pending,
    done: state.done,
    ...(state.owner && { owner: state.owner }),
    ...(state.tree && { tree: state.tree }),
  };
}

export function readState(continuation: SyncContinuation, origin: string): MailRoundState {
  const { folder, nextLink, initial, pending, done, owner } = continuation;
  const tree = readTree(continuation.tree, origin);
  if (typeof folder !== 'string' || typeof initial !== 'boolean' || !isStrings(pending))
    throw unusable('unreadable continuation');
  if (owner !== undefined && !isStrings(owner)) throw unusable('unreadable continuation');
  if (nextLink !== null && typeof nextLink !== 'string') throw unusable('unreadable continuation');
  return {
    folder,
    nextLink: nextLink === null ? null : onOrigin(nextLink, origin),
    initial,
    pending,
    done: links(done, origin),
    ...(owner !== undefined && { owner }),
    ...(tree && { tree }),
  };
}

/** The state at the start of a folder: resumed from its last delta link, or listed from scratch. */
export function atFolder(
  folder: string,
  pending: string[],
  done: Record<string, string>,
  prior: Record<string, string>,
): MailRoundState {
  const link = prior[folder];
  return { folder, nextLink: link ?? null, initial: link === undefined, pending, done };
}
