/** A real socket-level failure: fetch against a port nobody listens on (port 1 is never served here). */
export async function refusedConnectionError(): Promise<unknown> {
  try {
    await fetch('http://127.0.0.1:1/');
  } catch (error) {
    return error;
  }
  throw new Error('expected the connection to be refused');
}
