import { createHash } from 'node:crypto';
import { type StoredItem } from '../../core/types';
import { type TaskData, type TaskListData } from './generate';

// Shapes of https://developers.google.com/workspace/tasks/reference/rest/v1/tasklists and .../v1/tasks#Task.

const etag = (id: string, updated: number) =>
  `"${createHash('sha256').update(`${id}:${updated}`).digest('base64url').slice(0, 22)}"`;
const rfc3339 = (ms: number) => new Date(ms).toISOString();

export function renderTaskList(origin: string, item: StoredItem<TaskListData>) {
  return {
    kind: 'tasks#taskList',
    id: item.id,
    etag: etag(item.id, item.data.updated),
    title: item.data.title,
    updated: rfc3339(item.data.updated),
    selfLink: `${origin}/tasks/v1/users/@me/lists/${item.id}`,
  };
}

/** A deleted task keeps its fields and says `deleted: true`, as Google lists it with `showDeleted`. */
export function renderTask(origin: string, item: StoredItem<TaskData>, position: number) {
  const t = item.data;
  return {
    kind: 'tasks#task',
    id: item.id,
    etag: etag(item.id, t.updated),
    title: t.title,
    updated: rfc3339(t.updated),
    selfLink: `${origin}/tasks/v1/lists/${t.listId}/tasks/${item.id}`,
    position: String(position).padStart(20, '0'),
    ...(t.notes === null ? {} : { notes: t.notes }),
    status: t.status,
    ...(t.due === null ? {} : { due: rfc3339(t.due) }),
    ...(t.completed === null ? {} : { completed: rfc3339(t.completed) }),
    ...(t.deleted ? { deleted: true } : {}),
    ...(t.hidden ? { hidden: true } : {}),
    links: [],
    webViewLink: `https://tasks.google.com/task/${item.id}`,
  };
}
