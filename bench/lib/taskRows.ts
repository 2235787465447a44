// Task-shaped rows for bench:sync's upsert ceiling of the tasks resources (issue 23): sealed and upserted the way the
// sync engine writes a tasks page, next to a plain `pg` INSERT of the same rows.
import type { TaskRecord } from '@crm-sync/core';
import { taskUpsert, upsertRows, type SqlExecutor, type TaskInput } from '@crm-sync/db';
import { seededRandom } from '@crm-sync/provider-sandbox';
import type { PageSealer } from '@crm-sync/sync-engine';
import type { Client } from 'pg';

/** A row before sealing: a synced task with the engine's stamp, as the raw ceiling writes it in the clear. */
export type PlainTask = TaskRecord & { connectionId: string; contentHash: string; seenRound: number };

/** Row i of a data set, the same on every call for the same seed (pages are built on demand). */
export function taskRows(seed: number): (connectionId: string, i: number) => PlainTask {
  return (connectionId, i) => {
    const random = seededRandom(seed * 1_000_003 + i);
    const word = () => Math.floor(random() * 2 ** 32).toString(36);
    const words = (n: number) => Array.from({ length: n }, word).join(' ');
    const completed = random() < 0.3;
    return {
      connectionId,
      externalId: `task-${i.toString(16).padStart(8, '0')}`,
      contentHash: `${word()}${word()}${word()}`,
      seenRound: 1,
      listId: `list-${i % 5}`,
      listTitle: words(2),
      title: words(3 + Math.floor(random() * 6)),
      notes: random() < 0.5 ? words(10 + Math.floor(random() * 30)) : null,
      status: completed ? 'completed' : 'open',
      dueAt: random() < 0.6 ? new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000) : null,
      completedAt: completed
        ? new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300 * 86_400_000))
        : null,
    };
  };
}

/** Sealed as the engine's writePage seals a tasks page (no blind index: tasks hold no addresses), then upserted. */
export function upsertTasks(
  db: SqlExecutor,
  sealer: PageSealer,
  page: readonly PlainTask[],
): Promise<unknown> {
  const rows = page.map((row): TaskInput => {
    const { connectionId, contentHash: _hash, seenRound, ...record } = row;
    const { plain, sealed } = sealer.seal('tasks', [row.externalId], record);
    return {
      ...(plain as Omit<TaskInput, 'sealed' | 'connectionId' | 'contentHash' | 'seenRound'>),
      externalId: row.externalId,
      connectionId,
      contentHash: sealer.contentHash(record),
      seenRound,
      sealed,
    };
  });
  return upsertRows(db, taskUpsert, rows);
}

const TASK_COLUMNS = [
  'connection_id',
  'external_id',
  'content_hash',
  'seen_round',
  'list_id',
  'list_title',
  'title',
  'notes',
  'status',
  'due_at',
  'completed_at',
] as const;

/** The ceiling's other arm: what `pg` alone does with one multi-row INSERT per page, in the clear. */
export function rawInsertTasks(client: Client, page: readonly PlainTask[]): Promise<unknown> {
  const n = TASK_COLUMNS.length;
  const values = page
    .map((_, r) => `(${TASK_COLUMNS.map((_, c) => `$${r * n + c + 1}`).join(', ')})`)
    .join(', ');
  return client.query(
    `INSERT INTO tasks (${TASK_COLUMNS.join(', ')}) VALUES ${values}`,
    page.flatMap((t) => [
      t.connectionId,
      t.externalId,
      t.contentHash,
      t.seenRound,
      t.listId,
      t.listTitle,
      t.title,
      t.notes,
      t.status,
      t.dueAt,
      t.completedAt,
    ]),
  );
}
