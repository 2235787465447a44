import { type ProviderModule, type ResourceGenerator } from '../core/types';
import { registerCalendarEvents } from './calendar/events';
import { registerCalendarList } from './calendar/calendarList';
import { registerCalendarWrites } from './calendar/writes';
import { calendarEvents } from './calendar/generate';
import { peopleContacts } from './people/generate';
import { gmailMessages } from './gmail/generate';
import { driveFiles } from './drive/generate';
import { registerDrive } from './drive/routes';
import { googleErrors } from './errors';
import { installPartialResponses } from './fields/install';
import { registerGmailHistory } from './gmail/history';
import { registerGmailMessages } from './gmail/messages';
import { registerAuthorize } from './oauth/authorize';
import { registerIdentity } from './oauth/identity';
import { registerToken } from './oauth/token';
import { registerPeopleConnections } from './people/connections';
import { registerPeopleWrites } from './people/writes';
import { registerCalendarChannels } from './push/calendarChannels';
import { registerGmailWatch } from './push/gmailWatch';
import { googlePushOps } from './push/ops';
import { registerOidcKeys } from './push/oidcKeys';
import { GooglePushStore } from './push/store';
import { riscEmitOp } from './risc/emit';
import { signingKeys } from './risc/keys';
import { registerRiscDiscovery } from './risc/routes';
import { googleTaskLists, googleTasks } from './tasks/generate';
import { registerGoogleTasks } from './tasks/routes';

const keys = signingKeys('risc');
const oidcKeys = signingKeys('oidc');

/**
 * Google OAuth, Gmail, Calendar, People, Tasks and Drive on the http origin (paths do not collide,
 * docs/providers/google.md#api-hosts-and-paths). Made per sandbox: its push channels are that sandbox's.
 */
export function createGoogleModule(): ProviderModule {
  const push = new GooglePushStore();
  return {
    id: 'google',
    listener: 'http',
    errors: googleErrors,
    generators: [
      gmailMessages,
      calendarEvents,
      peopleContacts,
      googleTaskLists,
      googleTasks,
      driveFiles,
    ] as ResourceGenerator<unknown>[],
    register(app, ctx) {
      installPartialResponses(app);
      registerAuthorize(app, ctx);
      registerToken(app, ctx);
      registerIdentity(app, ctx);
      registerGmailMessages(app, ctx);
      registerGmailHistory(app, ctx);
      registerCalendarList(app, ctx);
      registerCalendarEvents(app, ctx);
      registerCalendarWrites(app, ctx);
      registerPeopleConnections(app, ctx);
      registerPeopleWrites(app, ctx);
      registerGoogleTasks(app, ctx);
      registerDrive(app, ctx);
      registerRiscDiscovery(app, ctx, keys);
      registerCalendarChannels(app, ctx, push);
      registerGmailWatch(app, ctx, push, oidcKeys);
      registerOidcKeys(app, oidcKeys);
    },
    /**
     * Cross-Account Protection: signs and delivers a security event token (google/risc/emit.ts); the push plan and
     * channels (google/push/ops.ts).
     */
    controlOps: { risc: riscEmitOp(keys), ...googlePushOps(push, oidcKeys) },
  };
}

export { calendarEvents, calendarWireId } from './calendar/generate';
export { peopleContacts } from './people/generate';
export { gmailMessages } from './gmail/generate';
export { defaultListId, googleTaskLists, googleTasks, type TaskData } from './tasks/generate';
export { driveFiles, type DriveFileData } from './drive/generate';
