/** Loopback helpers: a free port on 127.0.0.1 and waiting until something listens on one. */
import { connect, createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';
const CONNECT_RETRY_MS = 50;

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves true once a connection succeeds, false when `timeoutMs` passed or `gaveUp()` says stop. */
export async function waitForListener(
  port: number,
  timeoutMs: number,
  gaveUp: () => boolean,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    if (await tryConnect(port)) return true;
    await new Promise((r) => setTimeout(r, CONNECT_RETRY_MS));
  }
  return false;
}
