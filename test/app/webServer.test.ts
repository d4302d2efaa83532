import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiService } from '../../src/main/api/service';
import { HostPolicy, cookieValues } from '../../src/main/web/auth';
import { resolveInside } from '../../src/main/web/staticFiles';
import { startWebServer } from '../../src/main/web/server';
import type { WebServer } from '../../src/main/web/server';
import { NATIVE_CONFIG, fakeDeps } from './fakeDeps';

/** A raw GET (so the Host header can be anything). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_q, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', reject);
  });
}

function nextMessage(
  ws: WebSocket,
  pred: (m: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (d: WebSocket.RawData): void => {
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      if (pred(m)) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
  });
}

describe('web server', () => {
  let dir: string;
  let server: WebServer;
  let deps: ReturnType<typeof fakeDeps>;
  const token = 'a'.repeat(64);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'benchvisor-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ui</title>');
    writeFileSync(join(tmpdir(), 'benchvisor-secret.txt'), 'secret');
    mkdirSync(join(dir, 'exports'));
    writeFileSync(join(dir, 'exports', 'benchvisor-run.zip'), 'PK-zip');
    deps = fakeDeps();
    server = await startWebServer({
      service: new ApiService(deps),
      staticDir: dir,
      port: 0,
      token,
      downloadsDir: join(dir, 'exports'),
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'benchvisor-secret.txt'), { force: true });
  });

  const host = (): string => `127.0.0.1:${server.port}`;

  it('binds loopback and prints a URL carrying the token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
  });

  it('refuses the page without the token and trades a good token for an HttpOnly cookie', async () => {
    expect((await get(server.port, '/', { Host: host() })).status).toBe(401);
    expect((await get(server.port, `/?token=${'b'.repeat(64)}`, { Host: host() })).status).toBe(
      401,
    );
    const ok = await get(server.port, `/?token=${token}`, { Host: host() });
    expect(ok.status).toBe(302);
    expect(ok.headers['location']).toBe('/');
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^benchvisor_token_${server.port}=${token};`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await get(server.port, '/', {
      Host: host(),
      Cookie: `benchvisor_token_${server.port}=${token}`,
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>ui</title>');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('refuses foreign Host headers and paths outside the UI folder', async () => {
    const cookie = `benchvisor_token_${server.port}=${token}`;
    expect(
      (await get(server.port, '/', { Host: `evil.example:${server.port}`, Cookie: cookie })).status,
    ).toBe(403);
    expect(
      (await get(server.port, '/', { Host: `localhost:${server.port}`, Cookie: cookie })).status,
    ).toBe(200);
    const escape = await get(server.port, '/..%2fbenchvisor-secret.txt', {
      Host: host(),
      Cookie: cookie,
    });
    expect(escape.body).not.toContain('secret');
    expect([400, 404]).toContain(escape.status);
    expect(resolveInside('/srv/ui', '/../etc/passwd')).toBe('/srv/ui/etc/passwd');
    expect(resolveInside('/srv/ui', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/ui/etc/passwd');
  });

  it('offers exported bundles for download, with the token only', async () => {
    const cookie = `benchvisor_token_${server.port}=${token}`;
    expect((await get(server.port, '/downloads/benchvisor-run.zip', { Host: host() })).status).toBe(
      401,
    );
    const dl = await get(server.port, '/downloads/benchvisor-run.zip', {
      Host: host(),
      Cookie: cookie,
    });
    expect(dl.status).toBe(200);
    expect(dl.body).toBe('PK-zip');
    expect(String(dl.headers['content-disposition'])).toContain('attachment');
    expect(
      (await get(server.port, '/downloads/..%2findex.html', { Host: host(), Cookie: cookie }))
        .status,
    ).toBe(400);
    expect(
      (await get(server.port, '/downloads/missing.zip', { Host: host(), Cookie: cookie })).status,
    ).toBe(404);
  });

  it('refuses WebSocket connections without the token or from another origin', async () => {
    const ws = `ws://127.0.0.1:${server.port}/api`;
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await openSocket(ws, { Origin: origin })).toBe(401);
    expect(await openSocket(`${ws}?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(
      await openSocket(`${ws}?token=${token}`, { Origin: origin, Host: 'rebind.example' }),
    ).toBe(403);
    expect(
      await openSocket(`ws://127.0.0.1:${server.port}/other?token=${token}`, { Origin: origin }),
    ).toBe(404);
  });

  it('answers calls, rejects malformed ones and pushes events', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const ws = (await openSocket(`ws://127.0.0.1:${server.port}/api`, {
      Origin: origin,
      Cookie: `benchvisor_token_${server.port}=${token}`,
    })) as WebSocket;
    const info = nextMessage(ws, (m) => m['id'] === 1);
    ws.send(JSON.stringify({ id: 1, channel: 'app:info', request: {} }));
    expect(await info).toMatchObject({
      type: 'reply',
      result: { ok: true, value: { transport: 'websocket' } },
    });

    const bad = nextMessage(ws, (m) => m['type'] === 'reply' && m['id'] === 0);
    ws.send('not json');
    expect(await bad).toMatchObject({ result: { ok: false, error: { code: 'INVALID_INPUT' } } });

    const invalid = nextMessage(ws, (m) => m['id'] === 2);
    ws.send(
      JSON.stringify({ id: 2, channel: 'run:start', request: { config: { platforms: [] } } }),
    );
    expect(await invalid).toMatchObject({
      result: { ok: false, error: { code: 'INVALID_CONFIG' } },
    });

    const started = nextMessage(ws, (m) => m['type'] === 'event' && m['event'] === 'run:started');
    ws.send(JSON.stringify({ id: 3, channel: 'run:start', request: { config: NATIVE_CONFIG } }));
    expect(await started).toMatchObject({ payload: { platforms: ['native'] } });
    const data = nextMessage(ws, (m) => m['event'] === 'console:data');
    deps.runs.at(-1)!.observer.console('native', 'output');
    expect(await data).toMatchObject({
      payload: { data: 'output', offset: 6, platform: 'native' },
    });
    ws.close();
  });
});

describe('auth helpers', () => {
  it('reads every value of the token cookie among others, skipping malformed escapes', () => {
    expect(cookieValues('a=1; benchvisor_token_80=xyz; b=2', 'benchvisor_token_80')).toEqual([
      'xyz',
    ]);
    expect(cookieValues('a=1', 'benchvisor_token_80')).toEqual([]);
    expect(cookieValues('t=%; t=%E0%A4%A; t=%zz; t=ok%21', 't')).toEqual(['ok!']);
  });

  it('accepts IP literals on wildcard binds only', () => {
    const wild = new HostPolicy('0.0.0.0', 8000);
    expect(wild.hostAllowed('10.1.2.3:8000')).toBe(true);
    expect(wild.hostAllowed('10.1.2.3:9000')).toBe(false);
    expect(wild.hostAllowed('evil.example:8000')).toBe(false);
    const local = new HostPolicy('127.0.0.1', 8000, ['lab.example']);
    expect(local.hostAllowed('10.1.2.3:8000')).toBe(false);
    expect(local.hostAllowed('lab.example:8000')).toBe(true);
    expect(local.hostAllowed('[::1]:8000')).toBe(true);
    expect(local.originAllowed(undefined)).toBe(true);
    expect(local.originAllowed('http://127.0.0.1:8000')).toBe(true);
    expect(local.originAllowed('https://127.0.0.1:8000')).toBe(false);
    expect(local.originAllowed('null')).toBe(false);
  });
});
