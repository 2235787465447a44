import { type TaskRecord } from '@crm-sync/core';
// Type-only: the generated typings describe the wire shapes; nothing of the module runs here.
import type { tasks_v1 } from 'googleapis/build/src/apis/tasks';

/** The list a task was listed from: the record names it (Tasks' task resource carries no list id). */
export interface ListedIn {
  id: string;
  title: string | null;
}

const text = (value: string | null | undefined): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

function instant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at);
}

/**
 * A Google task as a record. `status` is `needsAction` or `completed`
 * (https://developers.google.com/workspace/tasks/reference/rest/v1/tasks#Task); `due` holds a date only, sent as
 * midnight UTC, and is kept as that instant.
 */
export function mapTask(task: tasks_v1.Schema$Task, list: ListedIn): TaskRecord {
  // A listed task always has an id; one without is a provider bug the engine must not store under "".
  if (!task.id) throw new Error('Google task without an id');
  return {
    externalId: task.id,
    listId: list.id,
    listTitle: list.title,
    title: text(task.title),
    notes: text(task.notes),
    status: task.status === 'completed' ? 'completed' : 'open',
    dueAt: instant(task.due),
    completedAt: instant(task.completed),
  };
}

/** Listed with `showDeleted`: a deleted task keeps its fields and says `deleted: true`. */
export const isDeletedTask = (task: tasks_v1.Schema$Task): boolean => task.deleted === true;
