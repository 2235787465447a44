/** A database URL crm-sync cannot use; the message never repeats the URL, which may hold a password. */
export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}
