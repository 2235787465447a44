import type { SyncPosition } from '@crm-sync/core';

/** Whether two positions are the same point of the same round. */
export function samePosition(a: SyncPosition, b: SyncPosition): boolean {
  return (
    a.mode === b.mode &&
    a.cursor === b.cursor &&
    JSON.stringify(a.continuation) === JSON.stringify(b.continuation)
  );
}
