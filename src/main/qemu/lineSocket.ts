/**
 * A unix-socket client that speaks in lines, connecting with retries (QEMU
 * creates its server sockets a moment after it starts).
 */
import { connect, type Socket } from 'node:net';

/** Pause between connection attempts while QEMU is starting. */
const CONNECT_RETRY_MS = 50;

export async function connectWithRetry(
  path: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error(`connecting to ${path} was cancelled`);
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const s = connect(path);
        s.once('connect', () => {
          s.removeAllListeners('error');
          resolve(s);
        });
        s.once('error', (e) => {
          s.destroy();
          reject(e);
        });
      });
    } catch (e) {
      lastError = (e as Error).message;
      await new Promise((r) => setTimeout(r, CONNECT_RETRY_MS));
    }
  }
  throw new Error(`cannot connect to ${path} within ${timeoutMs} ms (${lastError})`);
}

/** Calls onLine for every complete line read from the socket (without the newline). */
export function readLines(socket: Socket, onLine: (line: string) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      onLine(line);
    }
  });
}
