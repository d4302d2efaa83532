/**
 * Issue #23 at the web server (loopback sockets only): a reply too deep to serialise is an
 * error value and the server answers the next call (item 1); aborted downloads leave no file
 * descriptor open (item 5, counted in /proc/self/fd); a bounded flood of idle and slow-header
 * connections without the token does not keep a page load out (item 6); a burst of API calls
 * on one socket is bounded, the excess answered BUSY (item 7); the token redirect never leaves
 * the site (item 10). In the integration project: it times a page load during the flood.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiService } from '../../src/main/api/service';
import { MAX_UNAUTHENTICATED_PER_ADDRESS } from '../../src/main/web/connectionGuard';
import { MAX_CALLS_IN_FLIGHT, startWebServer, type WebServer } from '../../src/main/web/server';
import type { RunListItem } from '../../src/shared/run';
import { fakeDeps } from './fakeDeps';

const TOKEN = 'c'.repeat(64);
/** The renderer's largest asset is about 3 MB. */
const ASSET_BYTES = 3 * 1024 * 1024;
/** Aborted downloads in the fd test (the probe: 1,000 leaked 999). */
const ABORTS = 100;
/** Connections in the flood: more than the server's 256-connection cap. Loopback only. */
const FLOOD_IDLE = 300;
const FLOOD_SLOW = 60;
/** A page must load within this during the flood (the Must show). */
const PAGE_DEADLINE_MS = 2000;

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Resolves the pending runs:list calls when the test says so. */
let releaseList: () => void = () => {};
let listGate = Promise.resolve();

let dir: string;
let server: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bv-harden-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(join(dir, 'big.js'), Buffer.alloc(ASSET_BYTES, 0x61));
  const deps = fakeDeps();
  deps.listRuns = async (): Promise<RunListItem[]> => {
    await listGate;
    return [];
  };
  deps.getRun = async (runId) =>
    runId === 'deep'
      ? {
          item: deps.items[0]!,
          experiment: nested(100_000),
          environment: {},
          samples: [],
        }
      : null;
  server = await startWebServer({
    service: new ApiService(deps),
    staticDir: dir,
    port: 0,
    token: TOKEN,
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const cookie = (): string => `benchvisor_token_${server.port}=${TOKEN}`;
const host = (): string => `127.0.0.1:${server.port}`;

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path,
          headers: { Host: host(), ...headers },
          agent: false,
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

async function openApi(): Promise<{
  ws: WebSocket;
  call: (channel: string, request?: unknown) => Promise<Record<string, unknown>>;
  send: (id: number, channel: string) => void;
  replies: Map<number, Record<string, unknown>>;
}> {
  const ws = new WebSocket(`ws://${host()}/api`, {
    headers: { Origin: `http://${host()}`, Cookie: cookie() },
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const replies = new Map<number, Record<string, unknown>>();
  const waiters = new Map<number, (m: Record<string, unknown>) => void>();
  ws.on('message', (d: WebSocket.RawData) => {
    const m = JSON.parse(d.toString()) as {
      type: string;
      id: number;
      result: Record<string, unknown>;
    };
    if (m.type !== 'reply') return;
    replies.set(m.id, m.result);
    waiters.get(m.id)?.(m.result);
  });
  let next = 1_000_000;
  return {
    ws,
    replies,
    send: (id, channel) => ws.send(JSON.stringify({ id, channel, request: {} })),
    call: (channel, req = {}) =>
      new Promise((resolve) => {
        const id = next++;
        waiters.set(id, resolve);
        ws.send(JSON.stringify({ id, channel, request: req }));
      }),
  };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(cond(), what).toBe(true);
}

describe('web server hardening (issue #23)', () => {
  it('a reply that cannot be serialised is an error value; the server answers the next call', async () => {
    const api = await openApi();
    const reply = await api.call('runs:get', { runId: 'deep' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(String((reply.error as { message: string }).message)).toMatch(/could not be serialised/);
    expect(await api.call('app:info')).toMatchObject({ ok: true });
    api.ws.terminate();
  });

  it('the token redirect stays on this site, whatever the path (/.//evil.example/)', async () => {
    const r = await get(`/.//evil.example/?token=${TOKEN}`);
    expect(r.status).toBe(302);
    expect(r.headers['location']).toBe('/evil.example/');
    const r2 = await get(`/./\\evil.example/?token=${TOKEN}&x=1`);
    expect(String(r2.headers['location'])).toMatch(/^\/[^/\\]/);
  });

  it(`aborted downloads leave no file descriptor open (${ABORTS} aborts, /proc/self/fd)`, async () => {
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const before = fds();
    for (let i = 0; i < ABORTS; i++) {
      await new Promise<void>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: server.port });
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.once('data', () => s.destroy());
        s.write(`GET /big.js HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookie()}\r\n\r\n`);
      });
    }
    // The server notices each abort asynchronously; the count settles within moments.
    await until(() => fds() - before < ABORTS / 10, `fds grew by ${fds() - before}`);
  });

  it(`a page loads within ${PAGE_DEADLINE_MS} ms while ${FLOOD_IDLE} idle and ${FLOOD_SLOW} slow-header connections without the token are open`, async () => {
    const flood: Socket[] = [];
    let closedByServer = 0;
    const open = (): Promise<Socket> =>
      new Promise((resolve) => {
        const s = connect({ host: '127.0.0.1', port: server.port });
        s.on('error', () => {});
        s.on('close', () => closedByServer++);
        s.once('connect', () => resolve(s));
        flood.push(s);
      });
    try {
      for (let i = 0; i < FLOOD_IDLE; i++) await open();
      for (let i = 0; i < FLOOD_SLOW; i++) {
        const s = await open();
        s.write(`GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: `);
      }
      const started = Date.now();
      const page = await get('/', { Cookie: cookie() });
      const took = Date.now() - started;
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>ui</title>');
      expect(took).toBeLessThan(PAGE_DEADLINE_MS);
      // Each address holds at most the cap of connections without a token: the rest were shed.
      await until(
        () => flood.length - closedByServer <= MAX_UNAUTHENTICATED_PER_ADDRESS,
        'unauthenticated connections shed to the per-address cap',
      );
    } finally {
      for (const s of flood) s.destroy();
    }
  });

  it('a refusal without the token closes its connection', async () => {
    const r = await get('/');
    expect(r.status).toBe(401);
    expect(r.headers['connection']).toBe('close');
  });

  it(`a burst of API calls on one socket: ${MAX_CALLS_IN_FLIGHT} in flight, the rest answered BUSY at once`, async () => {
    let release!: () => void;
    listGate = new Promise((r) => (release = r));
    releaseList = release;
    const api = await openApi();
    const BURST = 100;
    for (let id = 1; id <= BURST; id++) api.send(id, 'runs:list');
    const busy = (): number =>
      [...api.replies.values()].filter((r) => (r.error as { code?: string })?.code === 'BUSY')
        .length;
    // The listing is held: only the calls beyond the cap can have been answered, all BUSY.
    await until(() => busy() === BURST - MAX_CALLS_IN_FLIGHT, `BUSY replies: ${busy()}`);
    expect(api.replies.size).toBe(BURST - MAX_CALLS_IN_FLIGHT);
    // Another client is served meanwhile.
    expect((await get('/', { Cookie: cookie() })).status).toBe(200);
    releaseList();
    await until(() => api.replies.size === BURST, 'every call answered');
    expect([...api.replies.values()].filter((r) => r.ok === true)).toHaveLength(
      MAX_CALLS_IN_FLIGHT,
    );
    listGate = Promise.resolve();
    expect(await api.call('runs:list')).toMatchObject({ ok: true });
    api.ws.terminate();
  });
});
