/** A TCP port that is free on a (loopback) address: for services the host reaches. */
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A TCP port that was free on the address a moment ago. */
export function freePort(address: string = LOOPBACK): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, address, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => (port ? done(port) : fail(new Error('could not find a free port'))));
    });
  });
}
