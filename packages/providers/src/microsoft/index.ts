import { type ProviderAdapter } from '@crm-sync/core';
import { MAIL_BODY_DEFAULTS, type MailBodyOptions } from '../shared/mailBody';
import { createGraphAttachmentReader } from './attachments';
import { createGraphAccess } from './client';
import { createGraphPush } from './push/subscriptions';
import { MICROSOFT_DESCRIPTOR, MICROSOFT_ENDPOINTS } from './descriptor';
import { classifyMicrosoftError } from './errors';
import { createGraphContactsWriter } from './writes/contacts';
import { createGraphEventsWriter } from './writes/events';
import { createMicrosoftOAuth, type MicrosoftOAuthOptions } from './oauth';
import { createCalendarSyncer } from './sync/calendar';
import { createContactsSyncer } from './sync/contacts';
import { createMailSyncer } from './sync/mail';
import { parseMailFolders } from './sync/mailFolders';
import { createTodoSyncer } from './sync/todo';
import { retryAfterOr } from '../shared/retryAfter';

export interface MicrosoftAdapterOptions extends MicrosoftOAuthOptions {
  /** Items per Graph delta page; default `MICROSOFT_DESCRIPTOR.deltaPageSize`. */
  deltaPageSize?: number;
  /** Which mail folders to follow (`all,-deleteditems,-junkemail` style, sync/mailFolders.ts); default
   * `MICROSOFT_DESCRIPTOR.mailFolders`. */
  mailFolders?: string;
  /** Mail body cap and type; default MAIL_BODY_DEFAULTS. */
  mailBody?: Partial<MailBodyOptions>;
}

export function createMicrosoftAdapter(options: MicrosoftAdapterOptions): ProviderAdapter {
  const access = createGraphAccess(options);
  const delta = { pageSize: options.deltaPageSize ?? MICROSOFT_DESCRIPTOR.deltaPageSize };
  return {
    id: 'microsoft',
    oauth: createMicrosoftOAuth(options),
    api: {
      origins: [new URL(options.endpoints?.graphBaseUrl ?? MICROSOFT_ENDPOINTS.graphBaseUrl).origin],
      fetch: options.fetch ?? fetch,
      retryAfterMs: retryAfterOr(MICROSOFT_DESCRIPTOR.defaultRetryAfterMs),
      requestBudget: MICROSOFT_DESCRIPTOR.requestBudget,
    },
    sync: {
      mail: createMailSyncer(access, {
        ...delta,
        folders: parseMailFolders(options.mailFolders ?? MICROSOFT_DESCRIPTOR.mailFolders),
        body: { ...MAIL_BODY_DEFAULTS, ...options.mailBody },
      }),
      calendar: createCalendarSyncer(access, delta),
      contacts: createContactsSyncer(access, delta),
      tasks: createTodoSyncer(access, delta),
    },
    attachments: createGraphAttachmentReader(access),
    push: createGraphPush(access, options.clientSecret),
    writes: { contacts: createGraphContactsWriter(access), events: createGraphEventsWriter(access) },
    classifyError: classifyMicrosoftError,
  };
}

export { MICROSOFT_DESCRIPTOR, MICROSOFT_ENDPOINTS, type MicrosoftEndpoints } from './descriptor';
export { classifyMicrosoftError } from './errors';
