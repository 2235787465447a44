import { type TaskRecord, type TaskStatus } from '@crm-sync/core';
import type { TodoTask, TodoTaskList } from '@microsoft/microsoft-graph-types';

/** The list a task was read from: the todoTask resource does not name its list. */
export interface ListedIn {
  id: string;
  title: string | null;
}

// https://learn.microsoft.com/graph/api/resources/todotask (status: taskStatus).
const STATUS: Record<string, TaskStatus> = {
  notStarted: 'open',
  inProgress: 'in_progress',
  completed: 'completed',
  waitingOnOthers: 'waiting',
  deferred: 'deferred',
};

/**
 * A dateTimeTimeZone (`{dateTime, timeZone}`: local time without an offset, and its zone) as an instant. Graph sends
 * To Do dates in UTC unless asked otherwise (`Prefer: outlook.timezone`, which crm-sync never sends); another zone is
 * not converted and gives null rather than a wrong instant.
 */
function utcInstant(
  value: { dateTime?: string | null; timeZone?: string | null } | null | undefined,
): Date | null {
  if (!value?.dateTime || value.timeZone !== 'UTC') return null;
  const at = Date.parse(`${value.dateTime.replace(/Z$/, '')}Z`);
  return Number.isNaN(at) ? null : new Date(at);
}

const text = (value: string | null | undefined): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

export function mapTodoTask(task: TodoTask, list: ListedIn): TaskRecord {
  // A listed task always has an id; one without is a provider bug the engine must not store under "".
  if (!task.id) throw new Error('Graph todoTask without an id');
  return {
    externalId: task.id,
    listId: list.id,
    listTitle: list.title,
    title: text(task.title),
    notes: text(task.body?.content),
    status: STATUS[task.status ?? ''] ?? 'open',
    dueAt: utcInstant(task.dueDateTime),
    completedAt: utcInstant(task.completedDateTime),
  };
}

export const listTitle = (list: TodoTaskList): string | null => list.displayName ?? null;
