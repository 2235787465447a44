import { ClassifiedProviderError, type SyncContinuation } from '@crm-sync/core';

/**
 * Reads a stored continuation back. It comes from `sync_states`, written by an earlier version of this code or
 * edited by hand, so its shape is checked; one that cannot be read is reported as `cursor_expired`, which makes the
 * engine start the resource over with a full round instead of failing the same way forever.
 */
export function unreadable(resource: string): ClassifiedProviderError {
  return new ClassifiedProviderError(
    { kind: 'cursor_expired' },
    `google ${resource} sync: the stored continuation is not one this syncer wrote`,
  );
}

export function stringField(continuation: SyncContinuation, key: string): string | undefined {
  const value = continuation[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function numberField(continuation: SyncContinuation, key: string): number | undefined {
  const value = continuation[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A flat object of strings (query parameters fixed at the start of a round). */
export function stringRecord(
  continuation: SyncContinuation,
  key: string,
): Record<string, string> | undefined {
  const value = continuation[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.every(([, v]) => typeof v === 'string')
    ? (Object.fromEntries(entries) as Record<string, string>)
    : undefined;
}
