import { type ProviderAdapter } from '@crm-sync/core';
import { MAIL_BODY_DEFAULTS, type MailBodyOptions } from '../shared/mailBody';
import { createGmailAttachmentReader } from './attachments';
import { GOOGLE_API_ORIGINS, GOOGLE_DESCRIPTOR } from './descriptor';
import { classifyGoogleError, saysThrottled } from './errors';
import { createGoogleOAuth, type GoogleOAuthOptions } from './oauth';
import { createCalendarSyncer } from './sync/calendar';
import { createContactsSyncer } from './sync/contacts';
import { createMailSyncer } from './sync/mail';
import { createTasksSyncer } from './sync/tasks';
import { createDriveFilesSyncer } from './sync/driveFiles';
import { createDriveContentReader } from './driveContent';
import { createDriveWriter } from './driveWriter';
import { createContactsWriter } from './writes/contacts';
import { createEventsWriter } from './writes/events';
import { createCalendarPush } from './push/calendarChannel';
import { createGmailPush } from './push/gmailWatch';
import { retryAfterOr } from '../shared/retryAfter';

/** Page sizes and Gmail's request concurrency; defaults in `GOOGLE_DESCRIPTOR.sync` (tests use small pages). */
export interface GoogleSyncOptions {
  gmailPageSize: number;
  gmailConcurrency: number;
  calendarPageSize: number;
  peoplePageSize: number;
  tasksPageSize: number;
  taskListsPageSize: number;
  drivePageSize: number;
}

export interface GoogleAdapterOptions extends GoogleOAuthOptions {
  sync?: Partial<GoogleSyncOptions>;
  /** Mail body cap; default MAIL_BODY_DEFAULTS (the content type is Graph's choice only). */
  mailBody?: Partial<MailBodyOptions>;
  /** Resumable upload chunk; a multiple of 256 KiB (default driveUpload.ts `DRIVE_UPLOAD_CHUNK_BYTES`). */
  driveUploadChunkBytes?: number;
  /** The Pub/Sub topic Gmail publishes mailbox changes to (docs/push.md); unset, mail is polled. */
  gmailPushTopic?: string;
}

export function createGoogleAdapter(options: GoogleAdapterOptions): ProviderAdapter {
  const sync: GoogleSyncOptions = { ...GOOGLE_DESCRIPTOR.sync, ...options.sync };
  const api = {
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return {
    id: 'google',
    oauth: createGoogleOAuth(options),
    api: {
      origins: options.endpoints?.apiRootUrl
        ? [new URL(options.endpoints.apiRootUrl).origin]
        : GOOGLE_API_ORIGINS,
      fetch: options.fetch ?? fetch,
      retryAfterMs: retryAfterOr(GOOGLE_DESCRIPTOR.defaultRetryAfterMs),
      throttledAnswer: { statuses: [403], says: saysThrottled },
      requestBudget: GOOGLE_DESCRIPTOR.requestBudget,
    },
    sync: {
      mail: createMailSyncer(api, {
        pageSize: sync.gmailPageSize,
        concurrency: sync.gmailConcurrency,
        body: { ...MAIL_BODY_DEFAULTS, ...options.mailBody },
      }),
      calendar: createCalendarSyncer(api, { pageSize: sync.calendarPageSize }),
      contacts: createContactsSyncer(api, { pageSize: sync.peoplePageSize }),
      tasks: createTasksSyncer(api, { pageSize: sync.tasksPageSize, listsPageSize: sync.taskListsPageSize }),
      files: createDriveFilesSyncer(api, { pageSize: sync.drivePageSize }),
    },
    attachments: createGmailAttachmentReader(api),
    driveContent: createDriveContentReader(api),
    driveWriter: createDriveWriter(api, options.driveUploadChunkBytes),
    writes: { contacts: createContactsWriter(api), events: createEventsWriter(api) },
    push: {
      calendar: createCalendarPush(api),
      ...(options.gmailPushTopic && { mail: createGmailPush(api, options.gmailPushTopic) }),
    },
    classifyError: classifyGoogleError,
  };
}

export { GOOGLE_DESCRIPTOR, GOOGLE_ENDPOINTS, type GoogleEndpoints } from './descriptor';
export { classifyGoogleError } from './errors';
