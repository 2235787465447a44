export {
  createTestDatabase,
  insertTestConnection,
  type TestDatabase,
  type TestDatabaseOptions,
} from '@crm-sync/db/testing';
export { createTestRedis, deleteUnder, type TestRedis, type TestRedisOptions } from './redis';
export { waitFor, type WaitForOptions } from './waitFor';
export { exited, startAppProcess, type AppFolder, type AppProcess } from './appProcess';
export { startTlsPostgres, type TlsPostgresServer } from './tlsPostgres';
export { startTlsRedis, type TlsRedisServer } from './tlsRedis';
// Certificates for the TLS servers above: the sandbox's own self-signed loopback certificate, which is its own CA.
export { loopbackCertificate, type TlsMaterial } from '@crm-sync/provider-sandbox';
export { freePort } from './freePort';
export { CookieJar } from './cookieJar';
export { startOwnRedis, type OwnRedisServer } from './ownRedis';
