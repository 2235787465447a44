import { type RequestAuth } from '../core/types';

const API = 'https://www.googleapis.com/auth/';

/** Any of these scopes lets a token read the API; Google answers 403 insufficientPermissions otherwise. */
export const CALENDAR_READ_SCOPES = [
  `${API}calendar`,
  `${API}calendar.readonly`,
  `${API}calendar.events`,
  `${API}calendar.events.readonly`,
];
/** events.insert, patch and delete take `calendar` or `calendar.events` (docs/providers/google.md#calendar-writes). */
export const CALENDAR_WRITE_SCOPES = [`${API}calendar`, `${API}calendar.events`];
export const CONTACTS_READ_SCOPES = [`${API}contacts`, `${API}contacts.readonly`];

export const hasAnyScope = (auth: RequestAuth, accepted: readonly string[]): boolean =>
  auth.scopes.some((scope) => accepted.includes(scope));
export const TASKS_READ_SCOPES = [`${API}tasks`, `${API}tasks.readonly`];
/** people.createContact, updateContact and deleteContact need the full contacts scope (docs/providers/google.md). */
export const CONTACTS_WRITE_SCOPES = [`${API}contacts`];
