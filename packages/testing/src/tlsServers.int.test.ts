import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { loopbackCertificate, startTlsPostgres, startTlsRedis, type TlsMaterial } from './index';

// The helpers make their files in a folder of this test's own, to see that they leave nothing behind. The
// postgres account must be able to walk into it.
let scratch: string;
let tls: TlsMaterial;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'crm-sync-testing-tls-'));
  await chmod(scratch, 0o755);
  tls = await loopbackCertificate();
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const refusesConnections = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

it('runs a TLS-only Redis trusted through its certificate, and removes everything on stop', async () => {
  const server = await startTlsRedis(tls, { parentDir: scratch });
  const client = new Redis(server.url, { tls: { ca: tls.cert }, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    expect(await client.ping()).toBe('PONG');
  } finally {
    client.disconnect();
    await server.stop();
  }
  expect(await refusesConnections(server.url)).toBe(true);
  expect(await readdir(scratch)).toEqual([]);
});

it('runs a Postgres cluster that accepts only TLS, and removes everything on stop', async () => {
  const server = await startTlsPostgres(tls, { parentDir: scratch });
  try {
    const client = new Client({ connectionString: server.url, ssl: { ca: tls.cert } });
    await client.connect();
    expect((await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows).toEqual([
      { ssl: true },
    ]);
    await client.end();
    const plain = new Client({ connectionString: server.url, ssl: false });
    await expect(plain.connect()).rejects.toThrow(/no pg_hba.conf entry/);
  } finally {
    await server.stop();
  }
  expect(await refusesConnections(server.url)).toBe(true);
  expect(await readdir(scratch)).toEqual([]);
}, 60_000);

it.each([
  ['Redis', startTlsRedis],
  ['Postgres', startTlsPostgres],
])(
  'cleans up when %s cannot start',
  async (_name, start) => {
    await expect(
      start({ cert: 'not a certificate', key: 'not a key' }, { parentDir: scratch }),
    ).rejects.toThrow();
    expect(await readdir(scratch)).toEqual([]);
  },
  60_000,
);
