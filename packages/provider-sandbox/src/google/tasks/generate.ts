import { mix, pick } from '../../core/random';
import { type Account, type ResourceGenerator } from '../../core/types';
import { itemTime, num, str, TOPICS } from '../data';

/**
 * Google Tasks ids are opaque strings (the API documents no shape); these are base64url-looking: a seeded head and
 * the ordinal in base 36, so the generators can map ids back to ordinals.
 */
function opaqueIds(salt: number) {
  const head = (account: Account) => `M${(mix(account.seed, salt) >>> 3).toString(36).padStart(6, '0')}`;
  return {
    idFor: (account: Account, ordinal: number) => `${head(account)}${ordinal.toString(36).padStart(8, '0')}`,
    ordinalOf(account: Account, id: string) {
      const rest = id.slice(head(account).length);
      return id.startsWith(head(account)) && /^[0-9a-z]{8}$/.test(rest)
        ? Number.parseInt(rest, 36)
        : undefined;
    },
  };
}

export interface TaskListData {
  title: string;
  /** Last modification, epoch ms. */
  updated: number;
}

const listIds = opaqueIds(61);

/**
 * Task lists. Every Google account has its default list ("My Tasks"), so each sandbox account starts with exactly
 * one; the control API adds more (`tasklists`, field `title`), renames and deletes them.
 */
export const googleTaskLists: ResourceGenerator<TaskListData> = {
  provider: 'google',
  resource: 'tasklists',
  fixedSize: 1,
  ...listIds,
  make: (account, ordinal) => ({
    title: ordinal === 0 ? 'My Tasks' : `List ${ordinal}`,
    updated: itemTime(account, ordinal, 1, 86_400_000),
  }),
  apply: (item, fields, _account, now) => ({ title: str(fields, 'title', item.title), updated: now }),
};

/** The list every base task is in. */
export const defaultListId = (account: Account) => listIds.idFor(account, 0);

export interface TaskData {
  listId: string;
  title: string;
  notes: string | null;
  status: 'needsAction' | 'completed';
  /** Due date, epoch ms at 00:00 UTC (Google keeps the date only), or null. */
  due: number | null;
  completed: number | null;
  /** Set by the control API's `deleted: true`: Google keeps deleted tasks and lists them with `showDeleted`. */
  deleted: boolean;
  /** Completed and cleared (`tasks.clear`), listed only with `showHidden`. */
  hidden: boolean;
  updated: number;
}

const DAY = 86_400_000;

/**
 * Tasks, all base ones in the default list. Control-API fields: `title`, `notes`, `completed: true|false` (status and
 * completion time), `due` (epoch ms), `listId` (a move between lists: the task keeps its id, see
 * docs/providers/google.md#tasks-sync), `deleted: true`, `hidden: true`. Every change stamps `updated`.
 */
export const googleTasks: ResourceGenerator<TaskData> = {
  provider: 'google',
  resource: 'tasks',
  ...opaqueIds(67),
  make(account, ordinal, size) {
    const updated = itemTime(account, ordinal, size, 600_000);
    const done = mix(account.seed, ordinal + 31) % 4 === 0;
    return {
      listId: defaultListId(account),
      title: `${pick(TOPICS, mix(account.seed, ordinal + 29))} #${ordinal}`,
      notes: ordinal % 3 === 0 ? null : `Notes of task ${ordinal}`,
      status: done ? 'completed' : 'needsAction',
      due: ordinal % 2 === 0 ? Math.floor(updated / DAY) * DAY + 7 * DAY : null,
      completed: done ? updated : null,
      deleted: false,
      hidden: false,
      updated,
    };
  },
  apply(item, fields, _account, now) {
    const completed =
      fields.completed === true
        ? (item.completed ?? now)
        : fields.completed === false
          ? null
          : item.completed;
    return {
      listId: str(fields, 'listId', item.listId),
      title: str(fields, 'title', item.title),
      notes: typeof fields.notes === 'string' || fields.notes === null ? fields.notes : item.notes,
      status: completed === null ? 'needsAction' : 'completed',
      due: typeof fields.due === 'number' ? Math.floor(num(fields, 'due', 0) / DAY) * DAY : item.due,
      completed,
      deleted: fields.deleted === true || item.deleted,
      hidden: fields.hidden === true || (fields.hidden !== false && item.hidden),
      updated: now,
    };
  },
};
