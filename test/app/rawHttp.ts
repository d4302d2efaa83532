/**
 * A raw TCP client for malformed HTTP: writes exactly the bytes given (no client library
 * would send a broken request) and reports the status line the server answered, if any.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  /** Status code of the first response line; null when the server closed without one. */
  status: number | null;
  /** Every byte received until the connection ended or the wait ran out. */
  received: Buffer;
  /** True when the wait ran out before the server closed the connection. */
  timedOut: boolean;
}

export interface RawOptions {
  /** How long to wait for the server (ms). */
  timeoutMs?: number;
  /** Half-close after writing (a truncated request ends here). */
  end?: boolean;
  /** Bytes to write after a 101 Switching Protocols answer (e.g. WebSocket frames). */
  afterUpgrade?: Buffer;
  /** Stop reading once the response head arrived (keep-alive answers never close). */
  stopAtHead?: boolean;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

export function rawExchange(
  port: number,
  bytes: Buffer,
  opts: RawOptions = {},
): Promise<RawAnswer> {
  const { timeoutMs = 5000, end = false, afterUpgrade, stopAtHead = true } = opts;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    let upgraded = false;
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (timedOut: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const received = Buffer.concat(chunks);
      const m = STATUS_LINE.exec(received.subarray(0, 16).toString('latin1'));
      resolve({ status: m ? Number(m[1]) : null, received, timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('connect', () => {
      socket.write(bytes);
      if (end && !afterUpgrade) socket.end();
    });
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const head = Buffer.concat(chunks).toString('latin1');
      if (afterUpgrade && !upgraded && head.includes('\r\n\r\n') && / 101 /.test(head)) {
        upgraded = true;
        socket.write(afterUpgrade);
        if (end) socket.end();
        return;
      }
      if (stopAtHead && !afterUpgrade && head.includes('\r\n\r\n')) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

/** Bytes of an HTTP/1.1 request with the given target and header lines (no validation). */
export function rawRequest(
  method: string,
  target: string | Buffer,
  headers: (string | Buffer)[],
): Buffer {
  const t = Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1');
  const parts: Buffer[] = [Buffer.from(`${method} `), t, Buffer.from(' HTTP/1.1\r\n')];
  for (const h of headers)
    parts.push(Buffer.isBuffer(h) ? h : Buffer.from(h, 'latin1'), Buffer.from('\r\n'));
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** The header lines of a WebSocket handshake (the key is a fixed valid one). */
export const WS_HANDSHAKE = [
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
];
