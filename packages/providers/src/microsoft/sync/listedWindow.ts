import { ClassifiedProviderError, type ListedWindow, type SyncPage, type SyncRequest } from '@crm-sync/core';

/**
 * A windowed full round's window travels in its continuation (Graph keeps it inside its links, where it cannot be
 * read back), as ISO instants, so the round's last page can tell the engine which rows it listed.
 */
const KEYS = { after: 'listedAfter', before: 'listedBefore' } as const;

/**
 * The window of the round a page belongs to: fixed on a full round's first page (`windowOf`), read back from the
 * continuation on the next ones; undefined for incremental rounds and resources listed whole.
 */
export function roundWindow(
  request: SyncRequest,
  windowOf: ((request: SyncRequest) => ListedWindow) | undefined,
): ListedWindow | undefined {
  const { continuation, mode } = request.position;
  if (mode !== 'full' || !windowOf) return undefined;
  if (!continuation) return windowOf(request);
  return { after: instant(continuation[KEYS.after]), before: instant(continuation[KEYS.before]) };
}

/** The page with the round's window carried on: in the continuation, or on the completing page. */
export function withWindow<T extends SyncPage>(page: T, window: ListedWindow | undefined): T {
  if (!window) return page;
  if (page.next.kind === 'caught_up') return { ...page, next: { ...page.next, window } };
  const bounds = Object.entries(KEYS).flatMap(([bound, key]) => {
    const at = window[bound as keyof ListedWindow];
    return at ? [[key, at.toISOString()]] : [];
  });
  return {
    ...page,
    next: { ...page.next, continuation: { ...page.next.continuation, ...Object.fromEntries(bounds) } },
  };
}

function instant(value: unknown): Date | null {
  if (value === undefined) return null;
  const at = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  // A continuation this code did not write cannot be resumed safely; the engine starts a fresh full round.
  if (Number.isNaN(at.getTime()))
    throw new ClassifiedProviderError(
      { kind: 'cursor_expired' },
      'microsoft delta: unreadable window; full resync',
    );
  return at;
}
