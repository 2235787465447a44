export {
  CALENDAR_READONLY,
  connectGoogle,
  CONTACTS_READONLY,
  DRIVE_FILE,
  failure,
  GMAIL_READONLY,
  GOOGLE_SCOPES,
  sandboxGoogleApis,
  sandboxOAuth2Client,
  TASKS_READONLY,
  TEST_REDIRECT_URI,
} from './google';
