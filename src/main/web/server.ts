/**
 * Web mode: serves the built renderer over HTTP and the API over a WebSocket, on 127.0.0.1
 * unless told otherwise. Every request needs the token (query parameter once, then an
 * HttpOnly SameSite=Strict cookie); Host and Origin are checked against DNS rebinding.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { describeZodError, err } from '../../shared/result';
import { serialiseWireMessage } from '../../shared/safeJson';
import type { Result } from '../../shared/result';
import { UPLOAD_CHUNK_MAX_BASE64 } from '../../shared/api';
import { DOWNLOADS_PATH, TOKEN_PARAM, WS_PATH, tokenCookieName } from '../../shared/wire';
import type { WireMessage } from '../../shared/wire';
import { dispatch } from '../api/dispatch';
import type { ApiService } from '../api/service';
import {
  HostPolicy,
  anyTokenMatches,
  cookieValues,
  generateToken,
  hostPort,
  tokenCookie,
} from './auth';
import { ConnectionGuard } from './connectionGuard';
import { decodeComponent, parseRequestTarget } from './requestInput';
import { SECURITY_HEADERS, resolveInside, sendFile } from './staticFiles';

/** Address bound when none is given: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';
/**
 * A client must send its whole request head within this (idle and slow-header clients are
 * dropped). A browser sends it at once; 5 s is ample on a loaded machine.
 */
export const HEADERS_TIMEOUT_MS = 5_000;
/** A whole request (head and, for the GETs we serve, nothing more) within this. */
export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * How often Node checks the two timeouts above (its default, 30 s, let an idle connection
 * live 30 s and a slow-header one 50 s, whatever the timeouts said).
 */
export const TIMEOUT_CHECK_INTERVAL_MS = 500;
/**
 * API calls one WebSocket may have in flight; more are answered at once with a BUSY error
 * value (a burst of 2,000 runs:list calls held the server at 100% CPU for minutes).
 */
export const MAX_CALLS_IN_FLIGHT = 16;
/** Open connections at once (page, assets, sockets of a few tabs need far fewer). */
export const MAX_CONNECTIONS = 256;
/** Room for the JSON envelope around the largest request field. */
const WS_ENVELOPE_BYTES = 64 * 1024;
/**
 * Largest WebSocket message accepted from a client: one bundle upload chunk (runs:uploadChunk,
 * base64) plus its envelope; every other call is far smaller.
 */
export const MAX_WS_MESSAGE_BYTES = UPLOAD_CHUNK_MAX_BASE64 + WS_ENVELOPE_BYTES;
/**
 * Most bytes a client may leave unread in its socket (ws's bufferedAmount). Console output is
 * flow-controlled by acks (at most HIGH_WATERMARK_BYTES + one batch in flight), but run events
 * are not: a tab that stopped reading (a frozen or suspended page) would make the server queue
 * them without end. Past this, the socket is dropped; the page reconnects and reloads the
 * console history.
 */
export const MAX_CLIENT_BACKLOG_BYTES = 16 * 1024 * 1024;

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
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=utf-8',
    ...SECURITY_HEADERS,
  };
  // A refused client keeps nothing open: the connection closes after the answer.
  if (status < 500) headers['Connection'] = 'close';
  res.writeHead(status, headers);
  res.end(`${message}\n`);
}

const UPGRADE_REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
};

/**
 * Where the token redirect goes: the same path on this server. A path that begins with two
 * slashes (`/.//evil.example/` normalises to `//evil.example/`) would be a protocol-relative
 * URL, i.e. another site: the leading slashes collapse to one.
 */
export function sameSiteLocation(url: URL): string {
  return '/' + url.pathname.replace(/^[/\\]+/, '') + url.search;
}

/** Answers an authorized GET: an exported bundle under /downloads/, else a file of the UI. */
async function serveFile(
  res: ServerResponse,
  url: URL,
  opts: Pick<WebServerOptions, 'downloadsDir' | 'staticDir'>,
): Promise<void> {
  if (url.pathname.startsWith(DOWNLOADS_PATH) && opts.downloadsDir) {
    const name = decodeComponent(url.pathname.slice(DOWNLOADS_PATH.length));
    if (name === null || !/^[A-Za-z0-9._-]+\.zip$/.test(name))
      return refuse(res, 400, 'Bad download name.');
    const sent = await sendFile(res, join(opts.downloadsDir, name), {
      'Content-Disposition': `attachment; filename="${name}"`,
    });
    return sent ? undefined : refuse(res, 404, 'No such export.');
  }
  const file = resolveInside(opts.staticDir, url.pathname);
  if (!file) return refuse(res, 400, 'Bad path.');
  if (!(await sendFile(res, file))) refuse(res, 404, 'Not found.');
}

/** Listens on host:port (0: a free port); rejects when the address cannot be bound. */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function refuseUpgrade(socket: Duplex, status: number): void {
  const reason = UPGRADE_REASONS[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** What the request handlers know once the server listens (port 0 picks one). */
interface ServerState {
  token: string;
  port: number;
  /** The cookie's name carries the port. */
  cookieName: string;
  policy: HostPolicy | null;
}

/** Query parameter first; otherwise every cookie of our name is a candidate. */
function authorized(st: ServerState, req: IncomingMessage, url: URL): boolean {
  const query = url.searchParams.get(TOKEN_PARAM);
  const presented = query !== null ? [query] : cookieValues(req.headers.cookie, st.cookieName);
  return anyTokenMatches(presented, st.token);
}

async function handleHttp(
  st: ServerState,
  guard: ConnectionGuard,
  opts: WebServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!st.policy?.hostAllowed(req.headers.host)) {
    return refuse(res, 403, 'Forbidden: unexpected Host header (DNS rebinding protection).');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
  const url = parseRequestTarget(req.url);
  if (!url) return refuse(res, 400, 'Bad request target.');
  const queryToken = url.searchParams.get(TOKEN_PARAM);
  if (!authorized(st, req, url)) {
    return refuse(
      res,
      401,
      'Unauthorized: open the URL with the token that `benchvisor serve` printed at start.',
    );
  }
  guard.authenticated(req.socket);
  if (queryToken !== null) {
    // Trade the token in the URL for a cookie, and drop it from the address bar.
    url.searchParams.delete(TOKEN_PARAM);
    res.writeHead(302, {
      Location: sameSiteLocation(url),
      'Set-Cookie': tokenCookie(st.token, st.port),
      ...SECURITY_HEADERS,
    });
    return void res.end();
  }
  await serveFile(res, url, opts);
}

/** Decides an upgrade: the status to refuse with, or the URL to accept. Never throws on input. */
function checkUpgrade(
  st: ServerState,
  req: IncomingMessage,
): { status: 400 | 401 | 403 | 404 } | URL {
  const url = parseRequestTarget(req.url);
  if (!url) return { status: 400 };
  if (url.pathname !== WS_PATH) return { status: 404 };
  if (!st.policy?.hostAllowed(req.headers.host)) return { status: 403 };
  if (!st.policy.originAllowed(req.headers.origin)) return { status: 403 };
  if (!authorized(st, req, url)) return { status: 401 };
  return url;
}

/** The HTTP server with its timeouts and the cap on connections without the token. */
function createGuardedServer(st: ServerState, guard: ConnectionGuard, opts: WebServerOptions) {
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    (req, res) => {
      handleHttp(st, guard, opts, req, res).catch((e: unknown) => {
        if (!res.headersSent)
          refuse(res, 500, `Internal error: ${e instanceof Error ? e.message : String(e)}`);
        else res.destroy();
      });
    },
  );
  server.maxConnections = MAX_CONNECTIONS;
  server.on('connection', (socket: Socket) => guard.admit(socket));
  return server;
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? DEFAULT_HOST;
  const st: ServerState = {
    token: opts.token ?? generateToken(),
    port: 0,
    cookieName: '',
    policy: null,
  };
  const guard = new ConnectionGuard();
  const server = createGuardedServer(st, guard, opts);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node removes its own error handler from an upgraded socket: a client that resets the
    // connection while we answer must not become an uncaught exception.
    socket.on('error', () => socket.destroy());
    try {
      const verdict = checkUpgrade(st, req);
      if (!(verdict instanceof URL)) return refuseUpgrade(socket, verdict.status);
      guard.authenticated(req.socket);
      wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts.service));
    } catch {
      // Defence in depth: whatever a handshake contains, the server stays up.
      if (!socket.destroyed) refuseUpgrade(socket, 400);
    }
  });

  st.port = await listen(server, opts.port ?? 0, host);
  st.cookieName = tokenCookieName(st.port);
  st.policy = new HostPolicy(host, st.port, opts.allowedHosts);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

  return {
    url: `http://${hostPort(shownHost, st.port)}/?${TOKEN_PARAM}=${st.token}`,
    host,
    port: st.port,
    token: st.token,
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
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_CLIENT_BACKLOG_BYTES) {
      ws.terminate(); // 'close' follows: the service connection is closed there
      return;
    }
    // Never JSON.stringify here: a value that cannot be serialised must not throw out of send.
    const text = serialiseWireMessage(msg);
    if (text !== null) ws.send(text);
  };
  const conn = service.connect(
    { send: (event, payload) => send({ type: 'event', event, payload }) },
    'websocket',
  );
  ws.on('close', () => conn.close());
  ws.on('error', () => conn.close());
  /** Calls of this socket dispatched and not yet answered. */
  let inFlight = 0;
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
        } else if (inFlight >= MAX_CALLS_IN_FLIGHT) {
          id = parsed.data.id;
          result = err(
            'BUSY',
            `too many API calls in flight on this connection (at most ${MAX_CALLS_IN_FLIGHT}): wait for their replies`,
          );
        } else {
          id = parsed.data.id;
          inFlight++;
          try {
            result = await dispatch(conn.handlers, parsed.data.channel, parsed.data.request);
          } finally {
            inFlight--;
          }
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
