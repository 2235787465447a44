import type { RequestTally } from '@crm-sync/core';
import { OAuth2Client } from 'google-auth-library';
// One module per API, not the `googleapis` index, which loads every Google API (~300 modules) on import.
import { calendar, type calendar_v3 } from 'googleapis/build/src/apis/calendar';
// The same generated Drive v3 client `@googleapis/drive` publishes on its own (docs/providers/clients.md).
import { drive, type drive_v3 } from 'googleapis/build/src/apis/drive';
import { gmail, type gmail_v1 } from 'googleapis/build/src/apis/gmail';
import { people, type people_v1 } from 'googleapis/build/src/apis/people';
import { tasks, type tasks_v1 } from 'googleapis/build/src/apis/tasks';
import { type GoogleEndpoints } from './descriptor';

/** What the syncers need from the adapter options to reach the Google APIs. */
export interface GoogleApiOptions {
  endpoints?: Partial<GoogleEndpoints>;
  fetch?: typeof fetch;
}

export interface GoogleApis {
  gmail: gmail_v1.Gmail;
  calendar: calendar_v3.Calendar;
  people: people_v1.People;
  tasks: tasks_v1.Tasks;
  drive: drive_v3.Drive;
}

/**
 * googleapis clients for one access token. The engine hands a fresh token to every page, so nothing is cached across
 * calls. The OAuth2Client holds only the access token: without a refresh token it never tries to refresh on a 401,
 * which therefore reaches the engine as `auth_expired` (the engine owns refreshing). With a tally, every API request
 * is counted (Google limits each request of a batch as its own, and these clients send no batches).
 */
export function googleApisFor(
  accessToken: string,
  options: GoogleApiOptions,
  tally?: RequestTally,
): GoogleApis {
  const auth = new OAuth2Client(
    options.fetch ? { transporterOptions: { fetchImplementation: options.fetch } } : {},
  );
  auth.setCredentials({ access_token: accessToken });
  const apiRootUrl = options.endpoints?.apiRootUrl;
  const common = {
    auth,
    // Only a configured root overrides the APIs' own hosts (gmail., people., tasks., www.googleapis.com differ), and only per
    // API: the global google.options({rootUrl}) does not redirect requests
    // (docs/providers/clients.md#googleapis-rooturl).
    ...(apiRootUrl ? { rootUrl: apiRootUrl } : {}),
    // The engine retries with Retry-After and backoff; gaxios' own retries would multiply them
    // (docs/providers/clients.md#client-retries).
    retry: false,
    ...(tally
      ? { fetchImplementation: counted(options.fetch ?? fetch, tally) }
      : options.fetch
        ? { fetchImplementation: options.fetch }
        : {}),
  };
  // Built on first use: a page needs one API, and each client is a sizeable object graph built per page.
  const gmailApi = once(() => gmail({ version: 'v1', ...common }));
  const calendarApi = once(() => calendar({ version: 'v3', ...common }));
  const peopleApi = once(() => people({ version: 'v1', ...common }));
  const tasksApi = once(() => tasks({ version: 'v1', ...common }));
  const driveApi = once(() => drive({ version: 'v3', ...common }));
  return {
    get gmail() {
      return gmailApi();
    },
    get calendar() {
      return calendarApi();
    },
    get people() {
      return peopleApi();
    },
    get tasks() {
      return tasksApi();
    },
    get drive() {
      return driveApi();
    },
  };
}

function counted(send: typeof fetch, tally: RequestTally): typeof fetch {
  return (input, init) => {
    tally.add(1);
    return send(input, init);
  };
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
