import { mix, pick } from '../../core/random';
import { type Account, type ResourceGenerator } from '../../core/types';
import { iso, MINUTE, TOPICS } from './fake';

// Microsoft To Do (https://learn.microsoft.com/graph/api/resources/todotasklist,
// https://learn.microsoft.com/graph/api/resources/todotask). Ids are opaque base64 strings at Graph; these keep a
// seeded head and the ordinal so the generators can map them back.

function todoIds(kind: string) {
  const head = (account: Account) => `AAMkTodo${kind}${(account.seed >>> 0).toString(36)}-`;
  return {
    idFor: (account: Account, ordinal: number) => `${head(account)}${ordinal.toString(36).padStart(7, '0')}`,
    ordinalOf(account: Account, id: string) {
      const rest = id.slice(head(account).length);
      return id.startsWith(head(account)) && /^[0-9a-z]{7}$/.test(rest)
        ? Number.parseInt(rest, 36)
        : undefined;
    },
  };
}

export interface TodoListData {
  displayName: string;
  isOwner: boolean;
  isShared: boolean;
  wellknownListName: 'none' | 'defaultList' | 'flaggedEmails';
}

const listIds = todoIds('L');

/** Every account has its default list ("Tasks"); the control API adds (`displayName`), renames and deletes lists. */
export const todoLists: ResourceGenerator<TodoListData> = {
  provider: 'microsoft',
  resource: 'todoLists',
  fixedSize: 1,
  ...listIds,
  make: (_account, ordinal) => ({
    displayName: ordinal === 0 ? 'Tasks' : `List ${ordinal}`,
    isOwner: true,
    isShared: false,
    wellknownListName: ordinal === 0 ? 'defaultList' : 'none',
  }),
  apply: (item, fields) => ({
    ...item,
    displayName: typeof fields.displayName === 'string' ? fields.displayName : item.displayName,
  }),
};

export const defaultTodoListId = (account: Account) => listIds.idFor(account, 0);

type DateTimeTimeZone = { dateTime: string; timeZone: string };

export interface TodoTaskData {
  title: string;
  body: { content: string; contentType: 'text' };
  importance: 'low' | 'normal' | 'high';
  status: 'notStarted' | 'inProgress' | 'completed' | 'waitingOnOthers' | 'deferred';
  isReminderOn: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
  categories: string[];
  dueDateTime?: DateTimeTimeZone;
  completedDateTime?: DateTimeTimeZone;
  /** Sandbox bookkeeping, never rendered (render.ts): the list holding the task. */
  todoListId: string;
}

/** Graph sends dateTimeTimeZone values as local time without an offset, seven fraction digits, and the zone. */
const dateTimeTimeZone = (ms: number): DateTimeTimeZone => ({
  dateTime: new Date(ms).toISOString().replace('Z', '0000'),
  timeZone: 'UTC',
});
const DAY = 86_400_000;
const STATUSES = [
  'notStarted',
  'notStarted',
  'inProgress',
  'completed',
  'waitingOnOthers',
  'deferred',
] as const;

/**
 * To Do tasks, all base ones in the default list. Control-API fields: `title`, `status` (one of Graph's five; a
 * completed one gets its `completedDateTime`), `todoListId` on add only (Graph has no move: a task "moved" in the To Do
 * app is, to an API client, deleted in one list and created in the other; docs/providers/microsoft.md#to-do-sync).
 */
export const todoTasks: ResourceGenerator<TodoTaskData> = {
  provider: 'microsoft',
  resource: 'tasks',
  ...todoIds('T'),
  make(account, ordinal) {
    const seed = mix(account.seed, ordinal + 71);
    const created = account.createdAt - (ordinal + 1) * 30 * MINUTE;
    const status = pick(STATUSES, seed);
    return {
      title: `${pick(TOPICS, seed)} ${ordinal}`,
      body: { content: ordinal % 3 === 0 ? '' : `Notes ${ordinal}`, contentType: 'text' },
      importance: 'normal',
      status,
      isReminderOn: false,
      createdDateTime: iso(created),
      lastModifiedDateTime: iso(created),
      categories: [],
      ...(ordinal % 2 === 0
        ? { dueDateTime: dateTimeTimeZone(Math.floor(created / DAY) * DAY + 3 * DAY) }
        : {}),
      ...(status === 'completed'
        ? { completedDateTime: dateTimeTimeZone(Math.floor(created / DAY) * DAY) }
        : {}),
      todoListId: defaultTodoListId(account),
    };
  },
  apply(item, fields, _account, now) {
    const status = STATUSES.find((s) => s === fields.status) ?? item.status;
    const { completedDateTime: _done, ...rest } = item;
    return {
      ...rest,
      title: typeof fields.title === 'string' ? fields.title : item.title,
      status,
      lastModifiedDateTime: iso(now),
      todoListId: typeof fields.todoListId === 'string' ? fields.todoListId : item.todoListId,
      ...(status === 'completed'
        ? { completedDateTime: item.completedDateTime ?? dateTimeTimeZone(Math.floor(now / DAY) * DAY) }
        : {}),
    };
  },
};
