export {
  createTestDatabase,
  insertTestConnection,
  type TestDatabase,
  type TestDatabaseOptions,
} from '@crm-sync/db/testing';
export { createTestRedis, deleteUnder, type TestRedis, type TestRedisOptions } from './redis';
export { waitFor, type WaitForOptions } from './waitFor';
export { exited, startAppProcess, type AppFolder, type AppProcess } from './appProcess';
export { freePort } from './freePort';
export { CookieJar } from './cookieJar';
