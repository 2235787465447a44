import { connect } from 'node:tls';
import { startSandbox } from '../start';
import { type RunningSandbox } from './types';

// In Compose the apps reach the sandbox as https://sandbox:4011: its certificate must name that host
// (SANDBOX_TLS_NAMES), and must still name no host it was not given.
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ tlsNames: ['sandbox', '10.1.2.3'] });
});
afterAll(() => sandbox.close());

/** A TLS handshake with the sandbox's https port as if it were reached by `servername`, trusting only its CA. */
function handshake(servername: string): Promise<'trusted' | string> {
  const port = Number(new URL(sandbox.urls.microsoft).port);
  return new Promise((resolveResult) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca: sandbox.caPem }, () => {
      socket.end();
      resolveResult('trusted');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolveResult(error.code ?? error.message));
  });
}

it.each(['sandbox', 'localhost'])('is trusted as %s', async (name) => {
  expect(await handshake(name)).toBe('trusted');
});

it('is refused for a name it was not given', async () => {
  expect(await handshake('elsewhere')).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
});
