/**
 * Web mode: serves the built renderer over HTTP and the API over a WebSocket, on 127.0.0.1
 * unless told otherwise. Every request needs the token (query parameter once, then an
 * HttpOnly SameSite=Strict cookie); Host and Origin are checked against DNS rebinding.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { describeZodError, err } from '../../shared/result';
import type { Result } from '../../shared/result';
import { UPLOAD_CHUNK_MAX_BASE64 } from '../../shared/api';
import { DOWNLOADS_PATH, TOKEN_PARAM, WS_PATH } from '../../shared/wire';
import type { WireMessage } from '../../shared/wire';
import { dispatch } from '../api/dispatch';
import type { ApiService } from '../api/service';
import {
  HostPolicy,
  generateToken,
  hostPort,
  tokenCookie,
  tokenFromCookie,
  tokenMatches,
} from './auth';
import { SECURITY_HEADERS, resolveInside, sendFile } from './staticFiles';

/** Address bound when none is given: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';
/** Room for the JSON envelope around the largest request field. */
const WS_ENVELOPE_BYTES = 64 * 1024;
/**
 * Largest WebSocket message accepted from a client: one bundle upload chunk (runs:uploadChunk,
 * base64) plus its envelope; every other call is far smaller.
 */
export const MAX_WS_MESSAGE_BYTES = UPLOAD_CHUNK_MAX_BASE64 + WS_ENVELOPE_BYTES;

const WireCallSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  request: z.unknown(),
});

export interface WebServerOptions {
  service: ApiService;
  /** Folder with the built renderer (index.html + assets). */
  staticDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
  /** Extra names accepted in the Host header (e.g. the lab machine's DNS name). */
  allowedHosts?: string[];
  /** Exported bundles, offered for download at /downloads/<file name> (web-mode Export). */
  downloadsDir?: string;
}

/** URL prefix of exported bundles (runs:export's downloadName goes after it). */
export { DOWNLOADS_PATH };

export interface WebServer {
  /** The start URL with the token, to print and open. */
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(`${message}\n`);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? DEFAULT_HOST;
  const token = opts.token ?? generateToken();
  let policy: HostPolicy | null = null;

  const presentedToken = (req: IncomingMessage, url: URL): string | null =>
    url.searchParams.get(TOKEN_PARAM) ?? tokenFromCookie(req.headers.cookie);

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!policy?.hostAllowed(req.headers.host)) {
      return refuse(res, 403, 'Forbidden: unexpected Host header (DNS rebinding protection).');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'Method not allowed.');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const queryToken = url.searchParams.get(TOKEN_PARAM);
    if (!tokenMatches(presentedToken(req, url), token)) {
      return refuse(
        res,
        401,
        'Unauthorized: open the URL with the token that `benchvisor serve` printed at start.',
      );
    }
    if (queryToken !== null) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      url.searchParams.delete(TOKEN_PARAM);
      res.writeHead(302, {
        Location: url.pathname + url.search,
        'Set-Cookie': tokenCookie(token),
        ...SECURITY_HEADERS,
      });
      return void res.end();
    }
    if (url.pathname.startsWith(DOWNLOADS_PATH) && opts.downloadsDir) {
      const name = decodeURIComponent(url.pathname.slice(DOWNLOADS_PATH.length));
      if (!/^[A-Za-z0-9._-]+\.zip$/.test(name)) return refuse(res, 400, 'Bad download name.');
      const sent = await sendFile(res, join(opts.downloadsDir, name), {
        'Content-Disposition': `attachment; filename="${name}"`,
      });
      return sent ? undefined : refuse(res, 404, 'No such export.');
    }
    const file = resolveInside(opts.staticDir, url.pathname);
    if (!file) return refuse(res, 400, 'Bad path.');
    if (!(await sendFile(res, file))) refuse(res, 404, 'Not found.');
  };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        refuse(res, 500, `Internal error: ${e instanceof Error ? e.message : String(e)}`);
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!policy?.hostAllowed(req.headers.host)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (!policy.originAllowed(req.headers.origin)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (!tokenMatches(presentedToken(req, url), token))
      return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts.service));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  policy = new HostPolicy(host, port, opts.allowedHosts);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

  return {
    url: `http://${hostPort(shownHost, port)}/?${TOKEN_PARAM}=${token}`,
    host,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One browser tab: a service connection whose events go to the socket. */
function serveSocket(ws: WebSocket, service: ApiService): void {
  const send = (msg: WireMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const conn = service.connect(
    { send: (event, payload) => send({ type: 'event', event, payload }) },
    'websocket',
  );
  ws.on('close', () => conn.close());
  ws.on('error', () => conn.close());
  ws.on('message', (raw, isBinary) => {
    void (async () => {
      let result: Result<unknown>;
      let id = 0;
      try {
        if (isBinary) throw new Error('binary messages are not accepted');
        const parsed = WireCallSchema.safeParse(JSON.parse(raw.toString()));
        if (!parsed.success) {
          result = err(
            'INVALID_INPUT',
            `malformed API message:\n${describeZodError(parsed.error)}`,
          );
        } else {
          id = parsed.data.id;
          result = await dispatch(conn.handlers, parsed.data.channel, parsed.data.request);
        }
      } catch (e) {
        result = err(
          'INVALID_INPUT',
          `malformed API message: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      send({ type: 'reply', id, result });
    })();
  });
}
