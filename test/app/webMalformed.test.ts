/**
 * Issue #9 items 1 and 6 reproduced against real servers on 127.0.0.1: malformed
 * percent-escapes in the token cookie (HTTP and WebSocket upgrade) and in download paths
 * are refused with 400/401 and never crash the server; two instances side by side keep their
 * own cookies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiService } from '../../src/main/api/service';
import { startWebServer } from '../../src/main/web/server';
import type { WebServer } from '../../src/main/web/server';
import { fakeDeps } from './fakeDeps';
import { WS_HANDSHAKE, rawExchange, rawRequest } from './rawHttp';

const TOKEN_A = 'a'.repeat(64);
const TOKEN_B = 'b'.repeat(64);

let dir: string;
const servers: WebServer[] = [];
/** Uncaught exceptions while these tests ran (a crash of the server would land here). */
const uncaught: unknown[] = [];
const onUncaught = (e: unknown): void => void uncaught.push(e);

async function serve(token: string): Promise<WebServer> {
  const s = await startWebServer({
    service: new ApiService(fakeDeps()),
    staticDir: dir,
    port: 0,
    token,
    downloadsDir: join(dir, 'exports'),
  });
  servers.push(s);
  return s;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchvisor-web-malformed-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ui</title>');
  mkdirSync(join(dir, 'exports'));
  process.on('uncaughtException', onUncaught);
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  // Bounded: a server broken by a throw in its upgrade handler leaves a socket that never closes.
  const closeWaitMs = 3000;
  for (const s of servers)
    await Promise.race([s.close(), new Promise((r) => setTimeout(r, closeWaitMs))]);
  rmSync(dir, { recursive: true, force: true });
});

describe('malformed input in web mode', () => {
  let s: WebServer;
  beforeAll(async () => {
    s = await serve(TOKEN_A);
  });
  const host = (): string => `Host: 127.0.0.1:${s.port}`;
  const good = (): Buffer =>
    rawRequest('GET', '/', [host(), `Cookie: benchvisor_token_${s.port}=${TOKEN_A}`]);

  it('refuses a WebSocket upgrade with `Cookie: <token cookie>=%` with 401 and stays up', async () => {
    for (const value of ['%', '%E0%A4%A', '%zz', '%%%']) {
      const upgrade = rawRequest('GET', '/api', [
        host(),
        `Origin: http://127.0.0.1:${s.port}`,
        `Cookie: benchvisor_token_${s.port}=${value}`,
        ...WS_HANDSHAKE,
      ]);
      expect((await rawExchange(s.port, upgrade)).status).toBe(401);
    }
    expect((await rawExchange(s.port, good())).status).toBe(200);
    expect(uncaught).toEqual([]);
  });

  it('answers 401 (not 500) to a malformed token cookie on plain HTTP', async () => {
    const bad = rawRequest('GET', '/', [host(), `Cookie: benchvisor_token_${s.port}=%`]);
    expect((await rawExchange(s.port, bad)).status).toBe(401);
  });

  it('answers 400 (not 500) to malformed percent-escapes in a download path', async () => {
    const cookie = `Cookie: benchvisor_token_${s.port}=${TOKEN_A}`;
    for (const path of ['/downloads/%', '/downloads/%E0%A4%A.zip', '/downloads/a%zz.zip', '/%']) {
      const answer = await rawExchange(s.port, rawRequest('GET', path, [host(), cookie]));
      expect(answer.status, path).toBe(400);
    }
  });

  it('answers 400 to request targets that are not paths (absolute-form, broken URLs)', async () => {
    const cookie = `Cookie: benchvisor_token_${s.port}=${TOKEN_A}`;
    for (const target of ['http://[::1', 'http://evil.example/', '//evil.example/x', '*']) {
      const answer = await rawExchange(s.port, rawRequest('GET', target, [host(), cookie]));
      expect(answer.status, target).toBe(400);
      const upgrade = rawRequest('GET', target, [host(), cookie, ...WS_HANDSHAKE]);
      expect((await rawExchange(s.port, upgrade)).status, `upgrade ${target}`).toBe(400);
    }
  });

  it('accepts the real token when another cookie of the same name shadows it', async () => {
    const shadowed = rawRequest('GET', '/', [
      host(),
      `Cookie: benchvisor_token_${s.port}=%; benchvisor_token_${s.port}=${TOKEN_A}`,
    ]);
    expect((await rawExchange(s.port, shadowed)).status).toBe(200);
  });
});

describe('two instances on 127.0.0.1', () => {
  /** A browser's cookie jar: cookies belong to the host, whatever the port (RFC 6265 §8.5). */
  const jar = new Map<string, string>();
  const remember = (setCookie: string): void => {
    const [pair] = setCookie.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  };
  const cookieHeader = (): string => `Cookie: ${[...jar].map(([k, v]) => `${k}=${v}`).join('; ')}`;

  async function login(s: WebServer, token: string): Promise<void> {
    const answer = await rawExchange(
      s.port,
      rawRequest('GET', `/?token=${token}`, [`Host: 127.0.0.1:${s.port}`]),
    );
    expect(answer.status).toBe(302);
    const line = /^set-cookie: (.*)$/im.exec(answer.received.toString('latin1'));
    remember(line![1]!.trim());
  }

  it('both keep working after the browser logged in to each (the cookie name carries the port)', async () => {
    const a = await serve(TOKEN_A);
    const b = await serve(TOKEN_B);
    await login(a, TOKEN_A);
    await login(b, TOKEN_B);
    expect(jar.size).toBe(2);
    for (const s of [a, b]) {
      const reload = rawRequest('GET', '/', [`Host: 127.0.0.1:${s.port}`, cookieHeader()]);
      expect((await rawExchange(s.port, reload)).status, `port ${s.port}`).toBe(200);
      const upgrade = rawRequest('GET', '/api', [
        `Host: 127.0.0.1:${s.port}`,
        `Origin: http://127.0.0.1:${s.port}`,
        cookieHeader(),
        ...WS_HANDSHAKE,
      ]);
      expect((await rawExchange(s.port, upgrade)).status, `ws port ${s.port}`).toBe(101);
    }
  });
});
